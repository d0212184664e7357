/**
 * The mesh layer of the reachability analysis (issue #12): whether Istio's ztunnel, the receiving side of a
 * connection into an ambient-mode pod, lets it through. Pure: the PeerAuthentications and AuthorizationPolicies are
 * plain values (policy/reachabilityMeshGraph.ts reads them from a plan), and the answer names the deciding object.
 *
 * Semantics, as ztunnel enforces them at L4:
 * - A pod is in the mesh when its namespace carries `istio.io/dataplane-mode: ambient`; a connection into a pod that
 *   is not is none of the mesh's business (verdict allow, "not in the mesh").
 * - PeerAuthentication: the most specific applies — a workload-selector policy in the pod's namespace (its
 *   `portLevelMtls` for the port first), else the namespace-wide one, else the mesh-wide one in the root namespace;
 *   `UNSET` inherits from the next level; with none, PERMISSIVE. `DISABLE` is ignored in ambient. STRICT refuses a
 *   plaintext connection, i.e. one from a source outside the mesh (the ALB, the internet, a node).
 * - AuthorizationPolicy: the policies of the pod's namespace whose selector matches it (or that have none), and those
 *   of the root namespace. CUSTOM is not enforced by ztunnel, AUDIT decides nothing, a `targetRefs` policy binds to a
 *   waypoint (there is none here). A policy that needs more than L4 (methods, paths, hosts, request principals, ...)
 *   makes ztunnel drop every connection to the pod. Then DENY before ALLOW: a matching DENY rule refuses; with no
 *   ALLOW policy, allowed; else only a matching ALLOW rule admits (the allow-nothing `spec: {}` has no rule).
 * - A rule matches when each of its `from` (any source), `to` (any operation) and `when` (every condition) holds; a
 *   source's fields all hold (each field: any value). Principals and namespaces need a mesh identity: a plaintext
 *   source has none, so `principals: ["*"]` does not match it and `notPrincipals` does. `to.operation.ports` is the
 *   application port (the HBONE port 15008 is what the network layers see, model/mesh.ts).
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/ (L4 attributes; "ztunnel proxy will simply drop all traffic" for L7 rules without a waypoint; DISABLE ignored)
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/ (DENY before ALLOW; allow-nothing; principals wildcards)
 * @see https://istio.io/latest/docs/concepts/security/#peer-authentication (selector over namespace over mesh; UNSET inherits)
 */
import { MESH_NAMESPACE, TRUST_DOMAIN } from "./mesh";
import { LayerDecision, ipInCidr } from "./reachability";
import { selects } from "./reachabilityK8s";

/** One Istio security object as the evaluator reads it (spec as in the CRD, security.istio.io/v1). */
export interface MeshPolicy {
    readonly kind: "PeerAuthentication" | "AuthorizationPolicy";
    readonly name: string;
    readonly namespace: string;
    readonly spec: Record<string, any>;
}
/** The mesh of one cluster: its objects and the namespaces enrolled in ambient mode. */
export interface MeshState {
    readonly policies: readonly MeshPolicy[];
    readonly ambientNamespaces: readonly string[];
    /** Istio's root namespace (mesh-wide policies). @default "istio-system" */
    readonly rootNamespace?: string;
}
/** The source of a connection: a mesh workload (its SPIFFE identity) or anything outside the mesh (plaintext). */
export type MeshSource =
    | { readonly kind: "workload"; readonly namespace: string; readonly serviceAccount: string; readonly ip: string }
    | { readonly kind: "outside"; readonly ip: string };
/** The destination pod. */
export interface MeshDestination {
    readonly namespace: string;
    readonly labels: Record<string, string>;
}

const L4_SOURCE = ["principals", "notPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks"];
const L4_OPERATION = ["ports", "notPorts"];
const L4_CONDITIONS = ["source.ip", "source.namespace", "source.principal", "destination.ip", "destination.port"];

const principalOf = (s: MeshSource) => (s.kind === "workload" ? `${TRUST_DOMAIN}/ns/${s.namespace}/sa/${s.serviceAccount}` : undefined);

/** Istio's string match: exact, "*" (any, non-empty), "prefix*" or "*suffix". */
function stringMatches(pattern: string, value: string | undefined): boolean {
    if (value === undefined) return false;
    if (pattern === "*") return value.length > 0;
    if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
    if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
    return pattern === value;
}
const cidrMatches = (block: string, ip: string) => ipInCidr(ip, block.includes("/") ? block : `${block}/32`);

/** The first attribute of a policy that ztunnel cannot enforce at L4, if any. */
export function nonL4Attribute(spec: Record<string, any>): string | undefined {
    for (const rule of (spec.rules ?? []) as any[]) {
        for (const f of rule.from ?? []) for (const k of Object.keys(f.source ?? {})) if (!L4_SOURCE.includes(k)) return `source.${k}`;
        for (const t of rule.to ?? []) for (const k of Object.keys(t.operation ?? {})) if (!L4_OPERATION.includes(k)) return `operation.${k}`;
        for (const c of rule.when ?? []) if (!L4_CONDITIONS.includes(c.key)) return `when ${c.key}`;
    }
    return undefined;
}

function fieldHolds(values: string[] | undefined, negated: string[] | undefined, test: (v: string) => boolean): boolean {
    if (values !== undefined && !values.some(test)) return false;
    return !(negated !== undefined && negated.some(test));
}

function sourceMatches(source: Record<string, string[] | undefined>, s: MeshSource): boolean {
    const principal = principalOf(s);
    const namespace = s.kind === "workload" ? s.namespace : undefined;
    return (
        fieldHolds(source.principals, source.notPrincipals, (p) => stringMatches(p, principal)) &&
        fieldHolds(source.namespaces, source.notNamespaces, (n) => stringMatches(n, namespace)) &&
        fieldHolds(source.ipBlocks, source.notIpBlocks, (b) => cidrMatches(b, s.ip))
    );
}

function conditionHolds(c: { key: string; values?: string[]; notValues?: string[] }, s: MeshSource, port: number): boolean {
    const actual: Record<string, string | undefined> = {
        "source.principal": principalOf(s),
        "source.namespace": s.kind === "workload" ? s.namespace : undefined,
        "destination.port": String(port),
    };
    const test = (v: string) => (c.key === "source.ip" ? cidrMatches(v, s.ip) : stringMatches(v, actual[c.key]));
    return fieldHolds(c.values, c.notValues, test);
}

/** Whether one rule of an AuthorizationPolicy matches the connection. */
export function ruleMatches(rule: Record<string, any>, s: MeshSource, port: number): boolean {
    const from = (rule.from ?? []) as { source?: Record<string, string[]> }[];
    const to = (rule.to ?? []) as { operation?: Record<string, string[]> }[];
    const when = (rule.when ?? []) as { key: string; values?: string[]; notValues?: string[] }[];
    const fromOk = from.length === 0 || from.some((f) => sourceMatches(f.source ?? {}, s));
    const toOk = to.length === 0 || to.some((t) => fieldHolds(t.operation?.ports, t.operation?.notPorts, (p) => p === String(port)));
    return fromOk && toOk && when.every((c) => conditionHolds(c, s, port));
}

const selectorOf = (spec: Record<string, any>) => spec.selector as { matchLabels?: Record<string, string> } | undefined;
const hasSelector = (spec: Record<string, any>) => Object.keys(selectorOf(spec)?.matchLabels ?? {}).length > 0;

/** The mTLS mode that applies to a port of the pod, and the object that set it. */
export function peerAuthenticationMode(state: MeshState, dst: MeshDestination, port: number): { mode: string; by: string } {
    const root = state.rootNamespace ?? MESH_NAMESPACE;
    const peers = state.policies.filter((p) => p.kind === "PeerAuthentication");
    const levels = [
        peers.filter((p) => p.namespace === dst.namespace && hasSelector(p.spec) && selects(selectorOf(p.spec), dst.labels)),
        peers.filter((p) => p.namespace === dst.namespace && !hasSelector(p.spec)),
        peers.filter((p) => p.namespace === root && !hasSelector(p.spec)),
    ];
    // DISABLE is ignored in ambient (ztunnel and HBONE imply mTLS); UNSET and no setting inherit.
    const effective = (mode: unknown) => (mode === "STRICT" || mode === "PERMISSIVE" ? mode : undefined);
    for (const [i, level] of levels.entries()) {
        for (const p of level) {
            const portMode = i === 0 ? effective(p.spec.portLevelMtls?.[String(port)]?.mode) : undefined;
            if (portMode) return { mode: portMode, by: `PeerAuthentication ${p.namespace}/${p.name} port ${port}` };
            const mode = effective(p.spec.mtls?.mode);
            if (mode) return { mode, by: `PeerAuthentication ${p.namespace}/${p.name}` };
        }
    }
    return { mode: "PERMISSIVE", by: "no PeerAuthentication (Istio's default PERMISSIVE)" };
}

/** The mesh layer for one connection into a pod: PeerAuthentication, then AuthorizationPolicies (DENY, then ALLOW). */
export function meshDecide(state: MeshState, source: MeshSource, dst: MeshDestination, port: number): LayerDecision {
    const what = `into ${dst.labels.app ?? "the pod"}:${port}`;
    if (!state.ambientNamespaces.includes(dst.namespace)) return { verdict: "allow", rule: `${what}: namespace ${dst.namespace} is not in the mesh` };
    // A plaintext source cannot use HBONE: from outside the mesh the connection arrives as plain TCP (TLS of its own, or none).
    if (source.kind === "outside") {
        const { mode, by } = peerAuthenticationMode(state, dst, port);
        if (mode === "STRICT") return { verdict: "deny", rule: `${what}: ${by} is STRICT, refuses plaintext from ${source.ip} (outside the mesh)` };
    }
    const root = state.rootNamespace ?? MESH_NAMESPACE;
    const applicable = state.policies.filter(
        (p) =>
            p.kind === "AuthorizationPolicy" &&
            (p.namespace === dst.namespace || p.namespace === root) &&
            p.spec.targetRef === undefined &&
            p.spec.targetRefs === undefined &&
            (!hasSelector(p.spec) || selects(selectorOf(p.spec), dst.labels)),
    );
    const label = (p: MeshPolicy) => `AuthorizationPolicy ${p.namespace}/${p.name}`;
    for (const p of applicable) {
        const l7 = nonL4Attribute(p.spec);
        if (l7 && p.spec.action !== "AUDIT" && p.spec.action !== "CUSTOM")
            return { verdict: "deny", rule: `${what}: ${label(p)} needs ${l7} (L7, no waypoint): ztunnel drops every connection` };
    }
    const matching = (action: string) =>
        applicable.filter((p) => (p.spec.action ?? "ALLOW") === action).find((p) => ((p.spec.rules ?? []) as any[]).some((r) => ruleMatches(r, source, port)));
    const deny = matching("DENY");
    if (deny) return { verdict: "deny", rule: `${what}: ${label(deny)} (DENY) matches` };
    const allows = applicable.filter((p) => (p.spec.action ?? "ALLOW") === "ALLOW");
    if (allows.length === 0) return { verdict: "allow", rule: `${what}: no ALLOW policy selects it (Istio admits)` };
    const allow = matching("ALLOW");
    const who = source.kind === "workload" ? (principalOf(source) ?? source.ip) : `${source.ip} (plaintext)`;
    return allow
        ? { verdict: "allow", rule: `${what}: ${label(allow)} admits ${who}` }
        : { verdict: "deny", rule: `${what}: no ALLOW rule of ${allows.map(label).join(", ")} admits ${who}` };
}
