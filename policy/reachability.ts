/**
 * Zero trust, proven (issue #12, seed 1.1, 1.4, 4.3): every declared flow (model/flows.ts FLOWS) walked through
 * the four layers that decide whether a packet passes — Kubernetes NetworkPolicies, security groups, NACLs and
 * route tables — on both ends, with AWS's semantics (model/reachability.ts). An intended flow blocked at a
 * layer, or a forbidden flow admitted at every layer, is a mandatory violation that names the flow, the
 * layer and the deciding rule. In preview a layer whose inputs are unknown says "unknown", never "blocked".
 * A flow into the portal's pods also crosses a fifth layer, the Istio mesh (policy/reachabilityMeshGraph.ts).
 */
import { DeclaredFlow, FLOWS } from "../model/flows";
import { LayerDecision, RouteEntry, Verdict, combine, naclConnection, routeDecide, sgConnection } from "../model/reachability";
import { networkPolicyConnection } from "../model/reachabilityK8s";
import { Graph, Guardrail, T, stackGuardrail } from "./lib";
import { placementsOf } from "./reachabilityEnds";
import { NetworkIndex, Placement } from "./reachabilityGraph";
import { IamLayerName, iamLayersOf } from "./reachabilityIam";
import { meshLayer, wirePort } from "./reachabilityMeshGraph";

export type LayerName = "networkPolicy" | "securityGroup" | "nacl" | "route" | "mesh" | IamLayerName;
export interface FlowLayer {
    readonly layer: LayerName;
    readonly verdict: Verdict;
    readonly rule: string;
}
/** One row of the flow matrix (the plan JSON's `flows`: a contract, extend, never rename). */
export interface FlowReport {
    readonly name: string;
    readonly from: string;
    readonly to: string;
    readonly protocol: string;
    readonly port: number;
    readonly intended: boolean;
    /** true: admitted at every layer; false: blocked at one; "unknown": preview; "absent": the stack has no such end. */
    readonly admitted: boolean | "unknown" | "absent";
    /** The layers of the deciding path (the first blocked pair of subnets, else the first one). */
    readonly layers: FlowLayer[];
    /** Whether the analysis finds the flow as declared (intended admitted, forbidden blocked; unknown/absent pass). */
    readonly ok: boolean;
}

const endLabel = (e: DeclaredFlow["from"]): string => {
    switch (e.kind) {
        case "pods":
            return `pods:${e.app}`;
        case "service":
            return e.service;
        case "interfaceEndpoint":
            return `endpoint:${e.service}`;
        case "rotation":
            return `rotation:${e.of}`;
        case "tier":
            return `tier:${e.tier}`;
        case "onPrem":
            return `on-prem:${e.vlan}`;
        default:
            return e.kind;
    }
};

/** The route layer: the source's route to the destination, and the destination's route back to an outside source. */
function routeLayer(index: NetworkIndex, src: Placement, dst: Placement): LayerDecision {
    const need = (p: Placement): RouteEntry["target"] => (p.where === "internet" ? "igw" : p.where === "onPrem" ? "vgw" : p.where === "s3" ? "vpce" : "local");
    const decisions: LayerDecision[] = [];
    if (src.subnet && dst.ip) {
        // Internet egress from a subnet without a public address goes through the NAT of its AZ (the private tier).
        const outNeed = dst.where === "internet" && index.graph.tierOf(src.subnet) !== "public" ? "nat" : need(dst);
        decisions.push(routeDecide(index.routesOf(src.subnet), dst.ip, outNeed, src.az));
    }
    if (dst.subnet && !src.subnet && src.ip) decisions.push(routeDecide(index.routesOf(dst.subnet), src.ip, need(src)));
    if (decisions.length === 0) return { verdict: "allow", rule: "no route table on the path" };
    const denied = decisions.find((d) => d.verdict === "deny") ?? decisions.find((d) => d.verdict === "unknown");
    return denied ?? { verdict: "allow", rule: decisions.map((d) => d.rule).join("; ") };
}

/** Every layer for one pair of placements. */
function pairLayers(index: NetworkIndex, flow: DeclaredFlow, src: Placement, dst: Placement): FlowLayer[] {
    const unknown = (what: string): LayerDecision => ({ verdict: "unknown", rule: `${what} unknown` });
    // issue #12: pod-to-pod flows cross the wire as HBONE (policy/reachabilityMeshGraph.ts); the mesh layer sees the application port.
    const port = wirePort(index.graph, flow);
    const onWire = (d: LayerDecision): LayerDecision => (port === flow.port ? d : { ...d, rule: `HBONE ${port}: ${d.rule}` });
    const np =
        src.k8s?.kind !== "pod" && dst.k8s?.kind !== "pod"
            ? { verdict: "allow" as const, rule: "no pod on the path" }
            : !index.policies
              ? unknown("NetworkPolicies")
              : !src.k8s || !dst.k8s
                ? unknown("pod address")
                : onWire(networkPolicyConnection(index.policies, src.k8s, dst.k8s, port, flow.protocol));
    const sg =
        !src.ip || !dst.ip
            ? unknown("address")
            : onWire(
                  sgConnection(
                      { ip: src.ip, sgs: src.sgs, prefixLists: src.prefixLists },
                      { ip: dst.ip, sgs: dst.sgs, prefixLists: dst.prefixLists },
                      port,
                      flow.protocol,
                  ),
              );
    const naclEnd = (p: Placement) => ({ ip: p.ip ?? "", entries: p.subnet ? index.naclOf(p.subnet) : [], name: p.subnet ? p.subnet.name : "" });
    const nacl =
        !src.ip || !dst.ip
            ? unknown("address")
            : onWire(
                  naclConnection(
                      { client: naclEnd(src), server: naclEnd(dst), sameSubnet: src.subnet !== undefined && src.subnet === dst.subnet },
                      port,
                      flow.protocol,
                  ),
              );
    return [
        { layer: "networkPolicy", ...np },
        { layer: "securityGroup", ...sg },
        { layer: "nacl", ...nacl },
        { layer: "route", ...routeLayer(index, src, dst) },
        ...[meshLayer(index.graph, flow, src)].filter((m) => m !== undefined).map((m) => ({ layer: "mesh" as const, ...m })),
        // The call the packet carries: the endpoint's policy and the bucket's (policy/reachabilityIam.ts).
        ...iamLayersOf(index.graph).of(flow.name),
    ];
}

/** Evaluates one declared flow over every pair of its ends' placements (at most AZs x AZs per flow). */
export function evaluateFlow(index: NetworkIndex, flow: DeclaredFlow): FlowReport {
    const base = { name: flow.name, from: endLabel(flow.from), to: endLabel(flow.to), protocol: flow.protocol, port: flow.port, intended: flow.intended };
    const sources = placementsOf(index, flow.from);
    const destinations = placementsOf(index, flow.to);
    if (sources.length === 0 || destinations.length === 0) return { ...base, admitted: "absent", layers: [], ok: true };
    let first: FlowLayer[] | undefined;
    let blocked: FlowLayer[] | undefined;
    let admittedPair: FlowLayer[] | undefined;
    let unknownPair: FlowLayer[] | undefined;
    let openAt: FlowLayer[] | undefined;
    // Sources by VPC (an end outside AWS pairs with every VPC): each destination meets its own VPC's sources only.
    const byVpc = new Map<unknown, Placement[]>();
    for (const src of sources) byVpc.set(src.vpc, [...(byVpc.get(src.vpc) ?? []), src]);
    const outside = byVpc.get(undefined) ?? [];
    for (const dst of destinations) {
        for (const src of dst.vpc === undefined ? sources : [...(byVpc.get(dst.vpc) ?? []), ...outside]) {
            const layers = pairLayers(index, flow, src, dst);
            first ??= layers;
            const v = combine(layers);
            if (flow.blockedBy && layers.find((l) => l.layer === flow.blockedBy)?.verdict === "allow") openAt ??= layers;
            if (v === "deny") blocked ??= layers;
            else if (v === "allow") admittedPair ??= layers;
            else unknownPair ??= layers;
        }
    }
    if (flow.intended) {
        // Every pair must pass: each client subnet reaches each of the service's subnets (a failover moves it).
        if (blocked) return { ...base, admitted: false, layers: blocked, ok: false };
        if (unknownPair) return { ...base, admitted: "unknown", layers: unknownPair, ok: true };
        return { ...base, admitted: true, layers: first!, ok: true };
    }
    // Forbidden: one admitted pair is one too many; so is one pair its `blockedBy` layer lets through on its own.
    if (admittedPair) return { ...base, admitted: true, layers: admittedPair, ok: false };
    if (flow.blockedBy && openAt) return { ...base, admitted: false, layers: openAt, ok: false };
    if (unknownPair) return { ...base, admitted: "unknown", layers: unknownPair, ok: true };
    return { ...base, admitted: false, layers: blocked ?? first!, ok: true };
}

/** The flow matrix of a stack's resources (the plan CLI's `--flows` and the plan JSON's `flows`). */
export function flowMatrix(graph: Graph, flows: readonly DeclaredFlow[] = FLOWS): FlowReport[] {
    if (graph.ofType(T.vpc).length === 0) return [];
    const index = new NetworkIndex(graph);
    return flows.map((f) => evaluateFlow(index, f));
}

const blockedBy = (r: FlowReport) => FLOWS.find((f) => f.name === r.name)?.blockedBy;

/** What a violation says: the flow, the layer and the deciding rule. */
export function describeFailure(r: FlowReport): string {
    const layer = r.intended ? r.layers.find((l) => l.verdict === "deny") : undefined;
    return r.intended
        ? `intended flow ${r.name} (${r.from} -> ${r.to} ${r.protocol}/${r.port}) is blocked at the ${layer?.layer} layer: ${layer?.rule}`
        : r.admitted === false
          ? `forbidden flow ${r.name} (${r.from} -> ${r.to} ${r.protocol}/${r.port}) must be blocked at the ${blockedBy(r)} layer, which admits it: ${r.layers.find((l) => l.layer === blockedBy(r))?.rule}`
          : `forbidden flow ${r.name} (${r.from} -> ${r.to} ${r.protocol}/${r.port}) is admitted at every layer: ${r.layers.map((l) => `${l.layer}: ${l.rule}`).join(" | ")}`;
}

export const declaredFlowsHold = stackGuardrail({
    name: "declared-flows-hold",
    description:
        "Every intended flow of model/flows.ts is admitted by the NetworkPolicies, security groups, NACLs and route tables of both ends (and, into the portal's pods, by the Istio mesh: STRICT mTLS and the AuthorizationPolicies), and every forbidden flow is blocked by one of them at least.",
    remediation:
        "Read the layer and rule named: open that rule (or add the missing one) so the intended flow passes, or close the layer that admits the forbidden flow; a new flow is declared in model/flows.ts FLOWS first.",
    concern: "network-exposure",
    seed: "1.1, 1.4, 4.3",
    why:
        "Four layers decide whether a packet passes and none reports a drop: a NetworkPolicy `except` of 10.0.0.0/8 cut the pods off the interface endpoints and " +
        "the isolated NACL cut OpenSearch off (issue #11), both invisible until run time; and a layer opened too wide is only caught if every other layer is checked too " +
        "(https://docs.aws.amazon.com/vpc/latest/userguide/infrastructure-security.html, https://kubernetes.io/docs/concepts/services-networking/network-policies/).",
    types: [
        T.vpc,
        T.subnet,
        T.nacl,
        T.naclRule,
        T.sg,
        T.sgRule,
        T.sgIngress,
        T.routeTable,
        T.route,
        T.rtAssoc,
        T.lb,
        T.rds,
        T.redis,
        T.opensearch,
        T.nodeGroup,
        T.eksComponent,
        // The endpointPolicy and resourcePolicy layers (policy/reachabilityIam.ts).
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        T.bucketPolicy,
        T.rolePolicy,
        // issue #12: the mesh layer (policy/reachabilityMeshGraph.ts).
        "kubernetes:core/v1:Namespace",
        "kubernetes:security.istio.io/v1:PeerAuthentication",
        "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    ],
    check: ({ graph }, report) => {
        for (const row of flowMatrix(graph)) if (!row.ok) report(describeFailure(row));
    },
});

export const reachabilityPolicies: Guardrail[] = [declaredFlowsHold];
