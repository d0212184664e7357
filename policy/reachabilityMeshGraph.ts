/**
 * Reads the mesh of a plan for the reachability analysis's mesh layer (model/reachabilityMesh.ts): the EKS cluster's
 * PeerAuthentications and AuthorizationPolicies, and which namespaces are enrolled in ambient mode. In preview an
 * object's namespace is the Namespace's unknown output: it is joined by its URN dependency, as mesh-strict-mtls does.
 * Read once per graph (memoised), so each flow costs no more than its own evaluation.
 */
import { PolicyResource } from "@pulumi/policy";
import { DeclaredFlow, FlowEnd } from "../model/flows";
import { AMBIENT_LABEL, AUTHORIZATION_POLICY, HBONE_PORT, PEER_AUTHENTICATION } from "../model/mesh";
import { APP_NAMESPACE } from "../model/ports";
import { MeshPolicy, MeshSource, MeshState, meshDecide } from "../model/reachabilityMesh";
import { LayerDecision } from "../model/reachability";
import { Graph, T, UNKNOWN, peek } from "./lib";
import { Placement } from "./reachabilityGraph";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const PROVIDER = "pulumi:providers:kubernetes";
const typeOf = (o: { apiVersion: string; kind: string }) => `kubernetes:${o.apiVersion}:${o.kind}`;
const [PEER_TYPE, AUTHZ_TYPE] = [typeOf(PEER_AUTHENTICATION), typeOf(AUTHORIZATION_POLICY)];

/** undefined: some object of the mesh is unknown (preview), so the layer says "unknown". */
const memo = new WeakMap<Graph, MeshState | undefined>();

/** The Kubernetes provider of the EKS cluster (it depends on the cluster component); undefined when the plan has one cluster only. */
function eksProvider(graph: Graph): string | undefined {
    const providers = graph.ofType(PROVIDER);
    if (providers.length < 2) return undefined;
    const clusters = new Set(graph.ofType(T.eksComponent).map((c) => c.urn));
    return providers.find((p) => Object.values(p.propertyDependencies).some((deps) => deps.some((d) => clusters.has(d.urn))))?.urn;
}

/** The mesh of the cluster the flows' pods run on (the EKS node groups: policy/reachabilityEnds.ts). */
export function meshStateOf(graph: Graph): MeshState | undefined {
    if (memo.has(graph)) return memo.get(graph);
    const provider = eksProvider(graph);
    const onCluster = (r: PolicyResource) => provider === undefined || r.provider?.urn === provider;
    const namespaces = graph.ofType(NAMESPACE).filter(onCluster);
    const nameOf = (n: PolicyResource) => peek(() => (n.props.metadata as { name?: string } | undefined)?.name);
    const ambient = namespaces.filter((n) => peek(() => (n.props.metadata as any)?.labels?.[Object.keys(AMBIENT_LABEL)[0]]) === "ambient");
    let known = !namespaces.some((n) => nameOf(n) === UNKNOWN);
    const policies: MeshPolicy[] = [];
    for (const r of graph.ofType(PEER_TYPE, AUTHZ_TYPE).filter(onCluster)) {
        const own = peek(() => (r.props.metadata as { namespace?: string } | undefined)?.namespace);
        const joined = namespaces.find((n) => (r.propertyDependencies.metadata ?? []).some((d) => d.urn === n.urn));
        const namespace = own === UNKNOWN ? (joined ? nameOf(joined) : UNKNOWN) : (own ?? "default");
        const spec = peek(() => JSON.parse(JSON.stringify(r.props.spec ?? {})) as Record<string, any>);
        if (namespace === UNKNOWN || spec === UNKNOWN || JSON.stringify(spec).includes(String(UNKNOWN))) known = false;
        else
            policies.push({
                kind: r.type === PEER_TYPE ? "PeerAuthentication" : "AuthorizationPolicy",
                name: peek(() => (r.props.metadata as { name?: string })?.name) as string,
                namespace: namespace as string,
                spec,
            });
    }
    const state = known ? { policies, ambientNamespaces: ambient.map((n) => nameOf(n) as string) } : undefined;
    memo.set(graph, state);
    return state;
}

const isAmbient = (state: MeshState | undefined) => state?.ambientNamespaces.includes(APP_NAMESPACE) === true;

/**
 * The port the network layers see. Between two ambient pods the connection is ztunnel-to-ztunnel HBONE: it leaves the
 * source and enters the destination on 15008, and NetworkPolicies (enforced on the host), security groups and NACLs
 * all see that port; the application port is what the AuthorizationPolicies name. Any other flow: its own port.
 * @see https://istio.io/latest/docs/ambient/usage/networkpolicy/ ("you will have to add an exception to that NetworkPolicy for port 15008")
 */
export function wirePort(graph: Graph, flow: DeclaredFlow): number {
    if (flow.from.kind !== "pods" || flow.to.kind !== "pods") return flow.port;
    const state = meshStateOf(graph);
    // Unknown in preview: the plan's own manifests put the namespace in the mesh (model/mesh.ts AMBIENT_LABEL), so HBONE.
    return state === undefined || isAmbient(state) ? HBONE_PORT : flow.port;
}

/** Who the source is to ztunnel: a portal pod has its service account's identity (named after its workload); anything else is plaintext. */
function meshSource(state: MeshState, end: FlowEnd, src: Placement): MeshSource {
    if (end.kind === "pods" && isAmbient(state)) return { kind: "workload", namespace: APP_NAMESPACE, serviceAccount: end.app, ip: src.ip ?? "" };
    return { kind: "outside", ip: src.ip ?? "" };
}

/** The mesh layer of a flow into portal pods; undefined for a flow that ends anywhere else (the mesh is not on its path). */
export function meshLayer(graph: Graph, flow: DeclaredFlow, src: Placement): LayerDecision | undefined {
    if (flow.to.kind !== "pods") return undefined;
    const state = meshStateOf(graph);
    if (!state) return { verdict: "unknown", rule: "mesh objects unknown" };
    if (!src.ip) return { verdict: "unknown", rule: "source address unknown" };
    return meshDecide(state, meshSource(state, flow.from, src), { namespace: APP_NAMESPACE, labels: { app: flow.to.app } }, flow.port);
}
