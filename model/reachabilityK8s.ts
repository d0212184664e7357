/**
 * Kubernetes NetworkPolicy reachability, with the API's semantics: a pod that no policy of its namespace
 * selects for a direction is open in that direction; once one selects it, only what some selecting policy's
 * rules allow passes (policies are additive allow-lists, there is no deny rule). A connection needs the
 * source's egress AND the destination's ingress. `ipBlock` admits its CIDR minus each `except`. Pure.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/
 */
import { LabelSelector, NetworkPolicySpec, Peer } from "./networkPolicies";
import { LayerDecision, Protocol, ipInCidr } from "./reachability";

/** A NetworkPolicy as the evaluator reads it. */
export interface K8sPolicy {
    readonly name: string;
    readonly namespace: string;
    readonly spec: NetworkPolicySpec;
}
/** A pod end of a flow. */
export interface PodEnd {
    readonly kind: "pod";
    readonly namespace: string;
    /** The namespace's labels (kubernetes.io/metadata.name is always set). */
    readonly namespaceLabels?: Record<string, string>;
    readonly labels: Record<string, string>;
    readonly ip: string;
}
/** An end outside the cluster (an AWS service, the internet, the ALB): NetworkPolicies see only its address. */
export interface AddressEnd {
    readonly kind: "address";
    readonly ip: string;
}
export type K8sEnd = PodEnd | AddressEnd;

/** Label selector semantics: every matchLabels pair and every expression must hold; an empty selector selects all. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
    if (!selector) return true;
    const pairs = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const expressions = (selector.matchExpressions ?? []).every((e) => {
        const op = e.operator as string;
        if (op === "In") return e.values.includes(labels[e.key]);
        if (op === "NotIn") return !e.values.includes(labels[e.key]);
        if (op === "Exists") return e.key in labels;
        if (op === "DoesNotExist") return !(e.key in labels);
        return false;
    });
    return pairs && expressions;
}

/**
 * Whether one peer of a rule matches the other end. `ipBlock`: in `cidr` and in none of `except`. A
 * `namespaceSelector`/`podSelector` peer matches pods only (with neither namespaceSelector, the policy's own
 * namespace); the API documents ipBlock for cluster-external addresses, so pods are not matched by it.
 */
function peerMatches(peer: Peer, policyNamespace: string, other: K8sEnd): { match: boolean; why: string } {
    if (peer.ipBlock) {
        if (other.kind === "pod") return { match: false, why: "" };
        const inside = ipInCidr(other.ip, peer.ipBlock.cidr);
        const excluded = (peer.ipBlock.except ?? []).find((e) => ipInCidr(other.ip, e));
        if (inside && excluded) return { match: false, why: `ipBlock ${peer.ipBlock.cidr} except ${excluded}` };
        return { match: inside, why: `ipBlock ${peer.ipBlock.cidr}` };
    }
    if (other.kind !== "pod") return { match: false, why: "" };
    const nsLabels = { "kubernetes.io/metadata.name": other.namespace, ...(other.namespaceLabels ?? {}) };
    const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels) : other.namespace === policyNamespace;
    const podOk = selects(peer.podSelector, other.labels);
    return { match: nsOk && podOk, why: "selector" };
}

function portMatches(ports: { protocol?: string; port?: number | string; endPort?: number }[] | undefined, port: number, protocol: Protocol): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
        const proto = (p.protocol ?? "TCP").toLowerCase();
        if (proto !== protocol) return false;
        if (p.port === undefined) return true;
        // A named port resolves per pod: counted as a match only if it could be this one (not decidable here).
        if (typeof p.port === "string") return false;
        return port >= p.port && port <= (p.endPort ?? p.port);
    });
}

/** One direction at one pod end: "allow" when no policy isolates it or one of its rules admits the peer. */
function direction(policies: readonly K8sPolicy[], pod: PodEnd, other: K8sEnd, port: number, protocol: Protocol, egress: boolean): LayerDecision {
    const type = egress ? "Egress" : "Ingress";
    const what = egress ? `egress of ${pod.labels.app ?? "the pod"}` : `ingress of ${pod.labels.app ?? "the pod"}`;
    const selecting = policies.filter((p) => p.namespace === pod.namespace && selects(p.spec.podSelector, pod.labels) && p.spec.policyTypes.includes(type));
    if (selecting.length === 0) return { verdict: "allow", rule: `${what}: no policy isolates it` };
    const excluded: string[] = [];
    for (const policy of selecting) {
        const rules = (egress ? policy.spec.egress : policy.spec.ingress) ?? [];
        for (const rule of rules) {
            const peers = (egress ? (rule as { to?: Peer[] }).to : (rule as { from?: Peer[] }).from) ?? [];
            if (!portMatches(rule.ports, port, protocol)) continue;
            // An empty or absent to/from matches every peer.
            if (peers.length === 0) return { verdict: "allow", rule: `${what}: ${policy.name} (any peer)` };
            for (const peer of peers) {
                const m = peerMatches(peer, policy.namespace, other);
                if (m.match) return { verdict: "allow", rule: `${what}: ${policy.name} (${m.why})` };
                if (m.why.includes("except")) excluded.push(`${policy.name} ${m.why}`);
            }
        }
    }
    const why = excluded.length > 0 ? `; excluded by ${excluded.join(", ")}` : "";
    return { verdict: "deny", rule: `${what}: isolated by ${selecting.map((p) => p.name).join(", ")}, no rule admits ${other.ip}:${port}/${protocol}${why}` };
}

/** A connection through NetworkPolicies: the source pod's egress and the destination pod's ingress (ends that are no pods pass). */
export function networkPolicyConnection(
    policies: readonly K8sPolicy[],
    source: K8sEnd,
    destination: K8sEnd,
    port: number,
    protocol: Protocol = "tcp",
): LayerDecision {
    const decided: string[] = [];
    if (source.kind === "pod") {
        const d = direction(policies, source, destination, port, protocol, true);
        if (d.verdict === "deny") return d;
        decided.push(d.rule);
    }
    if (destination.kind === "pod") {
        const d = direction(policies, destination, source, port, protocol, false);
        if (d.verdict === "deny") return d;
        decided.push(d.rule);
    }
    return { verdict: "allow", rule: decided.join("; ") || "no pod on the path" };
}
