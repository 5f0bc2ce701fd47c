package io.insidernetwork.schemas.serde;

import io.insidernetwork.schemas.export.InsiderExportLink;
import io.insidernetwork.schemas.export.InsiderExportProgress;
import io.insidernetwork.schemas.export.InsiderExportRow;
import io.insidernetwork.schemas.graph.ConnectionState;
import io.insidernetwork.schemas.graph.NetworkSizes;
import io.insidernetwork.schemas.graph.GraphCommand;
import io.insidernetwork.schemas.graph.InsiderState;
import io.insidernetwork.schemas.graph.InsightIqFact;
import io.insidernetwork.schemas.graph.NetworkUpdate;
import io.insidernetwork.schemas.graph.PurchaseRecord;
import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAccountDisconnected;
import io.insidernetwork.schemas.insightiq.InsightIqAudience;
import io.insidernetwork.schemas.insightiq.InsightIqComment;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqContentGroup;
import io.insidernetwork.schemas.insightiq.InsightIqPollCursor;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import io.insidernetwork.schemas.insightiq.InsightIqWebhookNotification;
import io.insidernetwork.schemas.insightiq.InsightIqWorkPlatform;
import io.insidernetwork.schemas.partner.PartnerEvent;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The record types written to topics: each has a version history that the build checks. */
public final class ShippedSchemas {

    /** Every top-level topic value type. */
    public static final List<Class<? extends SpecificRecord>> ALL = List.of(
        PartnerEvent.class,
        InsiderState.class,
        ConnectionState.class,
        NetworkUpdate.class,
        PurchaseRecord.class,
        NetworkSizes.class,
        GraphCommand.class,
        InsightIqFact.class,
        InsightIqWorkPlatform.class,
        InsightIqUser.class,
        InsightIqAccount.class,
        InsightIqProfile.class,
        InsightIqContent.class,
        InsightIqContentGroup.class,
        InsightIqComment.class,
        InsightIqAudience.class,
        InsightIqAccountDisconnected.class,
        InsightIqWebhookNotification.class,
        InsightIqPollCursor.class,
        InsiderExportLink.class,
        InsiderExportRow.class,
        InsiderExportProgress.class);

    private ShippedSchemas() {
    }
}
