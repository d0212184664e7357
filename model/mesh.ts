/**
 * The service mesh's objects, pure (seed 4.2 "TLS 1.3 for all public and internal communication (service
 * mesh/mTLS recommended)", 4.3 "all connections require authentication and authorization"): Istio in ambient
 * mode (why Istio: docs/mesh.md). From the declared flows (model/flows.ts) that end at portal pods, the namespace's
 * STRICT PeerAuthentication, an allow-nothing AuthorizationPolicy and one ALLOW policy per destination.
 * In Istio, a workload with no ALLOW policy accepts everything, so the allow-nothing policy is what makes
 * "everything else denied" true.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/ (allow-nothing: `spec: {}`)
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 * @see https://istio.io/latest/docs/ambient/usage/l4-policy/ (ztunnel enforces L4 rules: source identity, namespace, IP, port)
 */
import { DeclaredFlow, FLOWS } from "./flows";
import { APP_NAMESPACE } from "./ports";
import { SERVED_PORTS, ServedName, WORKLOAD_NAMES, WorkloadName } from "./workloads";
import { COLLECTOR_NAME, TELEMETRY_NAMESPACE } from "./collection";
import { METRICS_ENDPOINTS } from "./workloadTelemetry";

/** Namespace label that enrols every pod of the namespace in the ambient mesh (ztunnel captures its traffic). */
export const AMBIENT_LABEL = { "istio.io/dataplane-mode": "ambient" } as const;
/** HBONE: ztunnel-to-ztunnel mTLS tunnels arrive at the destination pod on this port. */
export const HBONE_PORT = 15008;
/** The mesh's control-plane namespace (istiod, istio-cni, ztunnel). */
export const MESH_NAMESPACE = "istio-system";
/** SPIFFE trust domain of the mesh (Istio's default). */
export const TRUST_DOMAIN = "cluster.local";

export const PEER_AUTHENTICATION = { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication" } as const;
export const AUTHORIZATION_POLICY = { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy" } as const;

/** Where a call comes from: a workload of the portal (by its mesh identity) or the edge (the ALB, the site's ingress). */
export type FlowSource = WorkloadName | "edge";

/** One allowed service-to-service (or edge-to-service) call. */
export interface ServiceFlow {
    readonly from: FlowSource;
    readonly to: WorkloadName;
    readonly port: number;
    readonly why: string;
}

/**
 * Every call the mesh admits into the portal's workloads, derived from the one flow model (model/flows.ts FLOWS): the
 * intended flows that end at portal pods, from the ALB (the edge: the ALB on EKS, the site's ingress on-prem) or from
 * another portal workload. Anything not declared there is denied; nothing calls celery-worker or celery-beat (they only
 * consume from Redis), so they get no inbound rule, and FLOWS declares those calls forbidden.
 */
export function serviceFlowsOf(flows: readonly DeclaredFlow[]): ServiceFlow[] {
    return flows.flatMap((f) => {
        if (!f.intended || f.to.kind !== "pods") return [];
        const from = f.from.kind === "alb" ? "edge" : f.from.kind === "pods" ? f.from.app : undefined;
        return from === undefined ? [] : [{ from: from as FlowSource, to: f.to.app as WorkloadName, port: f.port, why: f.why }];
    });
}
export const SERVICE_FLOWS: readonly ServiceFlow[] = serviceFlowsOf(FLOWS);

/** Who the edge is: the ALB's subnets (ip targets, outside the mesh: matched by address) or the on-prem ingress's namespace (in the mesh). */
export type MeshEdge = { readonly kind: "eks"; readonly albSourceCidrs: readonly string[] } | { readonly kind: "onPrem"; readonly ingressNamespace: string };

/** The SPIFFE principal Istio gives a workload's service account (service account name = workload name, model/workloads.ts). */
export const principalOf = (w: WorkloadName, namespace = APP_NAMESPACE) => `${TRUST_DOMAIN}/ns/${namespace}/sa/${w}`;

export interface MeshObject {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: Record<string, unknown>;
}

type Source = { principals?: string[]; namespaces?: string[]; ipBlocks?: string[] };

function sourceOf(from: FlowSource, edge: MeshEdge): Source {
    if (from !== "edge") return { principals: [principalOf(from)] };
    return edge.kind === "eks" ? { ipBlocks: [...edge.albSourceCidrs] } : { namespaces: [edge.ingressNamespace] };
}

/** Ports an edge flow reaches: they take the ALB's TLS without a mesh identity (see peerAuthentications). */
export function edgePorts(to: WorkloadName, flows: readonly ServiceFlow[] = SERVICE_FLOWS): number[] {
    return [...new Set(flows.filter((f) => f.from === "edge" && f.to === to).map((f) => f.port))].sort((a, b) => a - b);
}

/**
 * STRICT mTLS for the whole namespace. On EKS the ALB is outside the mesh (it has no SPIFFE identity and
 * cannot speak HBONE), so each served workload's edge port alone is PERMISSIVE: the ALB still reaches it
 * over TLS (HTTPS target groups, components/app/edge.ts), and the AuthorizationPolicy admits only the ALB's
 * subnets there. Every other port, and every other workload, accepts only mTLS. ztunnel honours exactly this shape
 * (workload selector, STRICT, portLevelMtls PERMISSIVE): istiod converts it into a DENY of unauthenticated traffic
 * "unless its destination is port 9090" (istio/istio architecture/ambient/peer-authentication.md, PR #45453; the
 * port-negation bug istio/ztunnel#792 is closed). A namespace-wide PeerAuthentication with portLevelMtls is ignored in
 * ambient, hence the selector.
 */
export function peerAuthentications(edge: MeshEdge, flows: readonly ServiceFlow[] = SERVICE_FLOWS): MeshObject[] {
    const objects: MeshObject[] = [{ ...PEER_AUTHENTICATION, metadata: { name: "default", namespace: APP_NAMESPACE }, spec: { mtls: { mode: "STRICT" } } }];
    if (edge.kind !== "eks") return objects;
    for (const w of WORKLOAD_NAMES) {
        const ports = edgePorts(w, flows);
        if (ports.length === 0) continue;
        objects.push({
            ...PEER_AUTHENTICATION,
            metadata: { name: `${w}-edge`, namespace: APP_NAMESPACE },
            spec: {
                selector: { matchLabels: { app: w } },
                mtls: { mode: "STRICT" },
                portLevelMtls: Object.fromEntries(ports.map((p) => [String(p), { mode: "PERMISSIVE" }])),
            },
        });
    }
    return objects;
}

/** allow-nothing, then per destination one ALLOW policy with a rule per declared flow into it. */
export function authorizationPolicies(edge: MeshEdge, flows: readonly ServiceFlow[] = SERVICE_FLOWS): MeshObject[] {
    const objects: MeshObject[] = [{ ...AUTHORIZATION_POLICY, metadata: { name: "allow-nothing", namespace: APP_NAMESPACE }, spec: {} }];
    for (const to of WORKLOAD_NAMES) {
        const into = flows.filter((f) => f.to === to);
        if (into.length === 0) continue;
        objects.push({
            ...AUTHORIZATION_POLICY,
            metadata: { name: `allow-to-${to}`, namespace: APP_NAMESPACE },
            spec: {
                selector: { matchLabels: { app: to } },
                action: "ALLOW",
                rules: into.map((f) => ({ from: [{ source: sourceOf(f.from, edge) }], to: [{ operation: { ports: [String(f.port)] } }] })),
            },
        });
    }
    return objects;
}

/** The whole mesh configuration of the portal namespace. */
export const meshObjects = (edge: MeshEdge, flows: readonly ServiceFlow[] = SERVICE_FLOWS): MeshObject[] => [
    ...peerAuthentications(edge, flows),
    ...authorizationPolicies(edge, flows),
    ...scrapeAuthorizationPolicies(),
];

/**
 * Whether the generated policies admit a call (Istio's ALLOW semantics: a workload selected by an ALLOW
 * policy accepts a request only if a rule matches; the namespace-wide allow-nothing selects every workload).
 * `source` is a workload, or "edge" for the ALB/ingress.
 */
export function admits(objects: readonly MeshObject[], source: FlowSource, to: WorkloadName, port: number, edge: MeshEdge): boolean {
    const want = sourceOf(source, edge);
    return objects
        .filter((o) => o.kind === AUTHORIZATION_POLICY.kind && (o.spec as any).action === "ALLOW")
        .filter((o) => (o.spec as any).selector?.matchLabels?.app === to)
        .some((o) =>
            ((o.spec as any).rules as any[]).some(
                (r) =>
                    r.to.some((t: any) => t.operation.ports.includes(String(port))) &&
                    r.from.some((f: any) => JSON.stringify(f.source) === JSON.stringify(want)),
            ),
        );
}

/** Problems of a flow list (a flow to an unknown workload or port would silently allow nothing, or the wrong thing). */
export function serviceFlowProblems(flows: readonly ServiceFlow[]): string[] {
    const problems: string[] = [];
    for (const f of flows) {
        if (!WORKLOAD_NAMES.includes(f.to)) problems.push(`flow to ${f.to}: not a workload`);
        if (f.from !== "edge" && !WORKLOAD_NAMES.includes(f.from)) problems.push(`flow from ${f.from}: not a workload`);
        const served = SERVED_PORTS[f.to as ServedName];
        if (served === undefined) problems.push(`flow to ${f.to}: it serves no port`);
        else if (served !== f.port) problems.push(`flow to ${f.to} on ${f.port}: it serves ${served}`);
    }
    return problems;
}

// issue #13: the monitoring collector's scrapes (model/collection.ts) ----------------------------------------------

/**
 * The collector runs in the mesh (its namespace carries AMBIENT_LABEL), so its scrapes arrive over HBONE with its SPIFFE
 * identity and the metrics ports stay STRICT: no PERMISSIVE exception, unlike an agentless scraper outside the mesh (the
 * AMP managed scraper), which ztunnel would refuse. One ALLOW per scraped workload, from that identity, to its metrics port only.
 */
export function scrapeAuthorizationPolicies(): MeshObject[] {
    return Object.entries(METRICS_ENDPOINTS).map(([w, m]) => ({
        ...AUTHORIZATION_POLICY,
        metadata: { name: `allow-scrape-to-${w}`, namespace: APP_NAMESPACE },
        spec: {
            selector: { matchLabels: { app: w } },
            action: "ALLOW",
            rules: [{ from: [{ source: { principals: [collectorPrincipal()] } }], to: [{ operation: { ports: [String(m!.port)] } }] }],
        },
    }));
}

/** The collector's SPIFFE principal (its service account in the telemetry namespace). */
export const collectorPrincipal = (): string => `${TRUST_DOMAIN}/ns/${TELEMETRY_NAMESPACE}/sa/${COLLECTOR_NAME}`;
