package io.insidernetwork.ingest.export.receiver;

import io.insidernetwork.ingest.export.ExportConfigDef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a URL may be fetched as an export file: absolute, https (http only when allowed for tests), no
 * user info, a host (and port) on the allowlist, and the seed's path {@code /{partner}/p/{file name}} with a known
 * partner. The webhook receiver and every redirect the downloader meets go through it, so the service can never be
 * made to reach another host.
 */
public final class LinkPolicy {

    /** The outcome of a check: allowed with the parsed parts, or refused with the HTTP status and the reason. */
    public sealed interface Verdict permits Allowed, Refused {
    }

    /** The URL may be fetched; {@code partner} and {@code fileName} are null for a bare target check. */
    public record Allowed(URI uri, String partner, String fileName) implements Verdict {
    }

    /** The URL is refused: {@code status} 400 (malformed) or 403 (not allowed). */
    public record Refused(int status, String reason) implements Verdict {
    }

    private record HostPort(String host, int port) {
    }

    private final List<HostPort> allowed;
    private final boolean allowHttp;
    private final Set<String> partners;

    /**
     * @param allowedHosts host or host:port entries; a bare host allows only the scheme's default port
     * @param partners the partners links may belong to; empty accepts any well-formed partner name
     */
    public LinkPolicy(final List<String> allowedHosts, final boolean allowHttp, final Set<String> partners) {
        this.allowed = allowedHosts.stream().map(LinkPolicy::hostPort).toList();
        this.allowHttp = allowHttp;
        this.partners = Set.copyOf(partners);
    }

    /** Whether {@code url} may be fetched. Never throws. */
    public Verdict check(final String url) {
        if (url == null || url.isBlank()) {
            return new Refused(400, "url is required");
        }
        final URI uri;
        try {
            uri = new URI(url.trim());
        } catch (final URISyntaxException e) {
            return new Refused(400, "url is not a valid URL");
        }
        return check(uri);
    }

    /** Whether {@code uri} may be fetched as an export link: {@link #checkTarget} plus the seed's path. */
    public Verdict check(final URI uri) {
        final Verdict target = checkTarget(uri);
        if (target instanceof Refused) {
            return target;
        }
        final String path = uri.getPath() == null ? "" : uri.getPath();
        final String[] segments = path.split("/", -1);
        // The seed's link: https://<export host>/{partner name}/p/{file name}
        if (segments.length != 4 || !segments[0].isEmpty() || !"p".equals(segments[2]) || segments[3].isBlank()) {
            return new Refused(400, "url path must be /{partner}/p/{file name}");
        }
        final String partner = segments[1];
        if (!ExportConfigDef.isPartnerName(partner)) {
            return new Refused(400, "partner in the url must be a lowercase partner name");
        }
        if (!partners.isEmpty() && !partners.contains(partner)) {
            return new Refused(403, "partner " + partner + " is not configured");
        }
        return new Allowed(uri, partner, segments[3]);
    }

    /**
     * Whether {@code uri} may be requested at all (a link or a redirect target): absolute, https (or allowed http),
     * no user info, host and port on the allowlist. The path is not checked. Never throws.
     */
    public Verdict checkTarget(final URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawAuthority() == null) {
            return new Refused(400, "url must be an absolute URL");
        }
        final String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !(allowHttp && "http".equals(scheme))) {
            return new Refused(403, "url scheme " + scheme + " is not allowed (https only)");
        }
        if (uri.getRawUserInfo() != null) {
            return new Refused(403, "url must not carry user info");
        }
        final String host = uri.getHost();
        if (host == null) {
            return new Refused(400, "url has no valid host");
        }
        final int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
        if (!isAllowed(host.toLowerCase(Locale.ROOT), port, scheme)) {
            return new Refused(403, "host " + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + " is not an allowed export host");
        }
        return new Allowed(uri, null, null);
    }

    private boolean isAllowed(final String host, final int port, final String scheme) {
        for (final HostPort entry : allowed) {
            if (entry.host().equals(host)) {
                final int allowedPort = entry.port() == -1 ? defaultPort(scheme) : entry.port();
                if (allowedPort == port) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int defaultPort(final String scheme) {
        return "http".equals(scheme) ? 80 : 443;
    }

    private static HostPort hostPort(final String entry) {
        final String trimmed = entry.trim().toLowerCase(Locale.ROOT);
        final int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            return new HostPort(trimmed, -1);
        }
        return new HostPort(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1)));
    }
}
