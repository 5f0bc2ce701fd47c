package io.insidernetwork.ingest.insightiq;

import com.fasterxml.jackson.databind.JsonNode;
import io.insidernetwork.schemas.insightiq.InsightIqAccount;
import io.insidernetwork.schemas.insightiq.InsightIqAudience;
import io.insidernetwork.schemas.insightiq.InsightIqComment;
import io.insidernetwork.schemas.insightiq.InsightIqContent;
import io.insidernetwork.schemas.insightiq.InsightIqContentGroup;
import io.insidernetwork.schemas.insightiq.InsightIqProfile;
import io.insidernetwork.schemas.insightiq.InsightIqUser;
import io.insidernetwork.schemas.insightiq.InsightIqWorkPlatform;
import io.insidernetwork.schemas.topic.TopicSpec;
import io.insidernetwork.schemas.topic.Topics;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** The InsightIQ object kinds ingest publishes: record type, topic, list path and record key. */
public enum ObjectKind {
    WORK_PLATFORMS("work-platforms", "/v1/work-platforms", InsightIqWorkPlatform.class,
        InsightIqWorkPlatform.getClassSchema(), Topics::workPlatforms, false),
    USERS("users", "/v1/users", InsightIqUser.class, InsightIqUser.getClassSchema(), Topics::users, false),
    ACCOUNTS("accounts", "/v1/accounts", InsightIqAccount.class, InsightIqAccount.getClassSchema(),
        Topics::accounts, false),
    PROFILES("profiles", "/v1/profiles", InsightIqProfile.class, InsightIqProfile.getClassSchema(),
        Topics::profiles, false),
    AUDIENCE("audience", "/v1/audience", InsightIqAudience.class, InsightIqAudience.getClassSchema(),
        Topics::audiences, false),
    CONTENTS("contents", "/v1/social/contents", InsightIqContent.class, InsightIqContent.getClassSchema(),
        Topics::contents, true),
    CONTENT_GROUPS("content-groups", "/v1/social/content-groups", InsightIqContentGroup.class,
        InsightIqContentGroup.getClassSchema(), Topics::contentGroups, true),
    COMMENTS("comments", "/v1/social/comments", InsightIqComment.class, InsightIqComment.getClassSchema(),
        Topics::comments, false);

    private final String label;
    private final String path;
    private final Class<? extends SpecificRecord> type;
    private final Schema schema;
    private final Function<Topics, TopicSpec<String, ? extends SpecificRecord>> topic;
    private final boolean windowed;

    ObjectKind(final String label, final String path, final Class<? extends SpecificRecord> type,
               final Schema schema, final Function<Topics, TopicSpec<String, ? extends SpecificRecord>> topic,
               final boolean windowed) {
        this.label = label;
        this.path = path;
        this.type = type;
        this.schema = schema;
        this.topic = topic;
        this.windowed = windowed;
    }

    /** Short name used in cursors, headers and metrics. */
    public String label() {
        return label;
    }

    /** The list endpoint (also the prefix of GET {id} and of /search). */
    public String path() {
        return path;
    }

    public Class<? extends SpecificRecord> type() {
        return type;
    }

    public Schema schema() {
        return schema;
    }

    /** Whether the list endpoint takes from_date/to_date (publication day). */
    public boolean windowed() {
        return windowed;
    }

    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> TopicSpec<String, V> topic(final Topics topics) {
        return (TopicSpec<String, V>) topic.apply(topics);
    }

    /** The record key: the object's id, except audience demographics, keyed by their account. Null when absent. */
    public String key(final JsonNode object) {
        final JsonNode id = this == AUDIENCE ? object.path("account").path("id") : object.path("id");
        return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    }
}
