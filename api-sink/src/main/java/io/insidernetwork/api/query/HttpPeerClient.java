package io.insidernetwork.api.query;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.insidernetwork.api.auth.PeerAuth;
import io.insidernetwork.api.query.Dtos.DumpEntry;
import io.insidernetwork.api.query.Dtos.EdgesAnswer;
import io.insidernetwork.api.query.Dtos.IdsRequest;
import io.insidernetwork.api.query.Dtos.InsiderFactsAnswer;
import io.insidernetwork.api.query.Dtos.PartialPage;
import io.insidernetwork.api.query.Dtos.PurchasesAnswer;
import io.insidernetwork.api.query.Dtos.UpdateEntry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/** {@link PeerClient} over HTTP: one shared client with timeouts, the peer token on every call. */
public final class HttpPeerClient implements PeerClient {

    /** Internal routes each instance serves to its peers. */
    public static final String DUMP_PATH = "/internal/v1/dump";
    public static final String UPDATES_PATH = "/internal/v1/updates";
    public static final String EDGES_PATH = "/internal/v1/edges";
    public static final String PURCHASES_PATH = "/internal/v1/purchases";
    public static final String FACTS_PATH = "/internal/v1/insider-facts";
    public static final String SUMMARY_PATH = "/internal/v1/summary";

    private static final TypeReference<PartialPage<DumpEntry>> DUMP_PAGE = new TypeReference<>() { };
    private static final TypeReference<PartialPage<UpdateEntry>> UPDATES_PAGE = new TypeReference<>() { };

    private final HttpClient http;
    private final ObjectMapper json;
    private final PeerAuth auth;
    private final Duration timeout;

    public HttpPeerClient(final HttpClient http, final ObjectMapper json, final PeerAuth auth, final Duration timeout) {
        this.http = http;
        this.json = json;
        this.auth = auth;
        this.timeout = timeout;
    }

    @Override
    public PartialPage<DumpEntry> dump(final HostInfo peer, final DumpQuery query, final NetworkScope scope) {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("sortBy", query.sortBy().wire());
        params.put("sortOrder", query.order().wire());
        params.put("limit", Integer.toString(query.limit()));
        query.after().ifPresent(k -> {
            params.put("lastId", Long.toString(k.id()));
            params.put("lastValue", Long.toString(k.value()));
        });
        params.put("networks", scope.wire());
        return read(get(peer, DUMP_PATH, params), DUMP_PAGE);
    }

    @Override
    public PartialPage<UpdateEntry> updates(final HostInfo peer, final UpdatesQuery query, final NetworkScope scope) {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("since", Long.toString(query.since()));
        params.put("limit", Integer.toString(query.limit()));
        params.put("backward", Boolean.toString(query.backward()));
        query.position().ifPresent(p -> {
            params.put("at", Long.toString(p.updatedAt()));
            params.put("id", p.insiderId());
            params.put("offset", Long.toString(p.offset()));
        });
        params.put("networks", scope.wire());
        return read(get(peer, UPDATES_PATH, params), UPDATES_PAGE);
    }

    @Override
    public EdgesAnswer edges(final HostInfo peer, final Collection<String> ids) {
        return read(post(peer, EDGES_PATH, new IdsRequest(List.copyOf(ids))), new TypeReference<EdgesAnswer>() { });
    }

    @Override
    public PurchasesAnswer purchases(final HostInfo peer, final Collection<String> ids) {
        return read(post(peer, PURCHASES_PATH, new IdsRequest(List.copyOf(ids))),
            new TypeReference<PurchasesAnswer>() { });
    }

    @Override
    public InsiderFactsAnswer facts(final HostInfo peer, final Collection<String> ids) {
        return read(post(peer, FACTS_PATH, new IdsRequest(List.copyOf(ids))),
            new TypeReference<InsiderFactsAnswer>() { });
    }

    @Override
    public NetworkSummary summary(final HostInfo peer, final NetworkScope scope, final int top) {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("top", Integer.toString(top));
        params.put("networks", scope.wire());
        return read(get(peer, SUMMARY_PATH, params), new TypeReference<NetworkSummary>() { });
    }

    private HttpRequest get(final HostInfo peer, final String path, final Map<String, String> params) {
        final String query = params.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        return request(peer, path + "?" + query).GET().build();
    }

    private HttpRequest post(final HostInfo peer, final String path, final Object body) {
        try {
            return request(peer, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        } catch (final IOException e) {
            throw new IllegalStateException("cannot encode peer request", e);
        }
    }

    private HttpRequest.Builder request(final HostInfo peer, final String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery))
            .timeout(timeout).header(PeerAuth.HEADER, auth.token());
    }

    private <T> T read(final HttpRequest request, final TypeReference<T> type) {
        final HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (final HttpTimeoutException e) {
            throw new PeerException("peer " + request.uri().getAuthority() + " timed out", true, e);
        } catch (final IOException e) {
            throw new PeerException("peer " + request.uri().getAuthority() + " unreachable", false, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted calling a peer", false, e);
        }
        if (response.statusCode() == 503) {
            throw new StoreUnavailableException("peer " + request.uri().getAuthority() + " is rebalancing");
        }
        if (response.statusCode() != 200) {
            throw new PeerException("peer " + request.uri().getAuthority() + " answered " + response.statusCode(),
                response.statusCode() == 504, null);
        }
        try {
            return json.readValue(response.body(), type);
        } catch (final IOException e) {
            throw new PeerException("peer " + request.uri().getAuthority() + " sent an unreadable answer", false, e);
        }
    }
}
