package io.insidernetwork.ingest.export.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkPolicyTest {

    private static final LinkPolicy POLICY = new LinkPolicy(List.of("insider-data-export.useinsider.com"), false,
        Set.of("mybrand"));

    @Test
    void shouldAllowSeedLinkWhenHostAndPartnerAreKnown() {
        assertThat(POLICY.check("https://insider-data-export.useinsider.com/mybrand/p/export-2025.parquet"))
            .isEqualTo(new LinkPolicy.Allowed(URI.create(
                "https://insider-data-export.useinsider.com/mybrand/p/export-2025.parquet"), "mybrand",
                "export-2025.parquet"));
    }

    @Test
    void shouldRefuseWhenHostIsNotAllowed() {
        assertThat(POLICY.check("https://evil.test/mybrand/p/f.csv")).isInstanceOfSatisfying(LinkPolicy.Refused.class,
            r -> assertThat(r.status()).isEqualTo(403));
        assertThat(POLICY.check("https://insider-data-export.useinsider.com.evil.test/mybrand/p/f.csv"))
            .isInstanceOf(LinkPolicy.Refused.class);
        assertThat(POLICY.check("https://169.254.169.254/mybrand/p/f.csv")).isInstanceOf(LinkPolicy.Refused.class);
        assertThat(POLICY.check("https://insider-data-export.useinsider.com@evil.test/mybrand/p/f.csv"))
            .isInstanceOf(LinkPolicy.Refused.class);
        assertThat(POLICY.check("https://user:pw@insider-data-export.useinsider.com/mybrand/p/f.csv"))
            .isInstanceOf(LinkPolicy.Refused.class);
    }

    @Test
    void shouldRefuseWhenSchemePortPathOrPartnerAreWrong() {
        assertThat(POLICY.check("http://insider-data-export.useinsider.com/mybrand/p/f.csv"))
            .isEqualTo(new LinkPolicy.Refused(403, "url scheme http is not allowed (https only)"));
        assertThat(POLICY.check("https://insider-data-export.useinsider.com:8443/mybrand/p/f.csv"))
            .isInstanceOfSatisfying(LinkPolicy.Refused.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThat(POLICY.check("https://insider-data-export.useinsider.com/mybrand/f.csv"))
            .isInstanceOfSatisfying(LinkPolicy.Refused.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThat(POLICY.check("https://insider-data-export.useinsider.com/other/p/f.csv"))
            .isEqualTo(new LinkPolicy.Refused(403, "partner other is not configured"));
        assertThat(POLICY.check("file:///etc/passwd")).isInstanceOf(LinkPolicy.Refused.class);
        assertThat(POLICY.check("not a url")).isInstanceOf(LinkPolicy.Refused.class);
        assertThat(POLICY.check((String) null)).isInstanceOf(LinkPolicy.Refused.class);
    }

    @Test
    void shouldAllowLocalHostAndPortOnlyWhenConfiguredForTests() {
        final LinkPolicy local = new LinkPolicy(List.of("127.0.0.1:8123"), true, Set.of());
        assertThat(local.check("http://127.0.0.1:8123/any/p/f.csv")).isInstanceOf(LinkPolicy.Allowed.class);
        assertThat(local.check("http://127.0.0.1:8124/any/p/f.csv")).isInstanceOf(LinkPolicy.Refused.class);
        assertThat(local.checkTarget(URI.create("http://localhost:8123/x"))).isInstanceOf(LinkPolicy.Refused.class);
    }
}
