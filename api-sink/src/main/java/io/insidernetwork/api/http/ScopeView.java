package io.insidernetwork.api.http;

import io.insidernetwork.api.query.Dtos.InsiderFacts;
import io.insidernetwork.api.query.NetworkQueries;
import io.insidernetwork.api.query.NetworkScope;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a key's scope hides among insider ids an answer would name: insiders whose partner network the key may not
 * read. Ids that are no insider (handles, recipients who never joined) carry no network and are not hidden by this
 * view; callers decide on them from the data that names them. A key for every network hides nothing and costs no
 * lookup.
 */
final class ScopeView {

    private final NetworkScope scope;
    private final Set<String> hidden;

    private ScopeView(final NetworkScope scope, final Set<String> hidden) {
        this.scope = scope;
        this.hidden = hidden;
    }

    /** The view of {@code ids} (any mix of insider ids and other recipients) under {@code scope}. */
    static ScopeView of(final NetworkScope scope, final Collection<String> ids, final NetworkQueries queries) {
        if (scope.all()) {
            return new ScopeView(scope, Set.of());
        }
        final List<String> insiders = ids.stream().filter(Params::isUuid).distinct().toList();
        return of(scope, insiders.isEmpty() ? Map.of() : queries.facts(insiders));
    }

    /** The view under {@code scope} of the insiders whose {@code facts} were read. */
    static ScopeView of(final NetworkScope scope, final Map<String, InsiderFacts> facts) {
        if (scope.all()) {
            return new ScopeView(scope, Set.of());
        }
        final Set<String> hidden = new HashSet<>();
        facts.forEach((id, f) -> {
            if (!scope.allows(f.networkId())) {
                hidden.add(id);
            }
        });
        return new ScopeView(scope, hidden);
    }

    /** Whether {@code id} is an insider of a network outside the scope. */
    boolean hides(final String id) {
        return hidden.contains(id);
    }

    /** Whether {@code network} is readable. */
    boolean allows(final String network) {
        return scope.allows(network);
    }

    /** {@code ids} without the hidden ones, in order. */
    List<String> visible(final List<String> ids) {
        return hidden.isEmpty() ? ids : ids.stream().filter(id -> !hidden.contains(id)).toList();
    }
}
