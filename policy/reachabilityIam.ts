/**
 * The IAM layers of reachability (issue #12): `endpointPolicy` (the VPC endpoint's policy, for each call a declared
 * flow makes through it: model/reachabilityEndpoints.ts FLOW_CALLS) and `resourcePolicy` (the documents bucket's
 * policy, its `aws:SourceVpce` deny). Read from the plan once per stack. In preview the bucket policy is unknown
 * (it names the bucket's ARN): the join is by URN, the policy's propertyDependencies name the endpoint(s) its
 * `aws:SourceVpce` admits, so a policy that names another endpoint than this VPC's S3 gateway endpoint is blocked
 * in both modes, and one that names ours is `unknown` until the IDs are known.
 */
import { PolicyResource } from "@pulumi/policy";
import { FlowCall, FLOW_CALLS, IamRequest, PolicyStatementLike, UNKNOWN_VALUE, evaluatePolicy, parsePolicy, requestOf } from "../model/reachabilityEndpoints";
import { LayerDecision, Verdict, combine } from "../model/reachability";
import { Graph, T, UNKNOWN, peek } from "./lib";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export type IamLayerName = "endpointPolicy" | "resourcePolicy";
export interface IamLayer extends LayerDecision {
    readonly layer: IamLayerName;
}

/** The endpoints of a service (the service name's last part), from the plan. */
export function endpointsOf(graph: Graph, service: string): PolicyResource[] {
    return graph.ofType(VPC_ENDPOINT).filter((e) => str(peek(() => e.props.serviceName))?.endsWith(`.${service}`) === true);
}

/** The stack's account: the root principal its keys delegate to (components/security/customerKey.ts), known in both modes. */
function accountOf(graph: Graph): string {
    for (const key of graph.ofType(T.kmsKey)) {
        const m = str(peek(() => key.props.policy))?.match(/arn:aws:iam::(\d{12}):root/);
        if (m) return m[1];
    }
    return UNKNOWN_VALUE;
}

/** Both IAM layers for one flow, or [] when the flow makes no call through an endpoint. Memoised per graph. */
export class IamLayers {
    private readonly memo = new Map<string, IamLayer[]>();
    private readonly account: string;

    constructor(private readonly graph: Graph) {
        this.account = accountOf(graph);
    }

    of(flowName: string): IamLayer[] {
        const hit = this.memo.get(flowName);
        if (hit) return hit;
        const calls = FLOW_CALLS[flowName] ?? [];
        const layers = calls.length === 0 ? [] : this.evaluate(calls);
        this.memo.set(flowName, layers);
        return layers;
    }

    private roleArn(name: string): string {
        const role = this.graph.ofType(T.role).find((r) => r.name === name);
        const arn = role ? str(peek(() => role.props.arn)) : undefined;
        // A role the stack makes lives in the stack's account, whatever its name; unknown in preview, the ARN is that account's.
        const roleName = role ? str(peek(() => role.props.name)) : undefined;
        return arn ?? `arn:aws:iam::${this.account}:role/${roleName ?? name}`;
    }

    private evaluate(calls: readonly FlowCall[]): IamLayer[] {
        const endpoint: LayerDecision[] = [];
        const resource: LayerDecision[] = [];
        const [gateway] = endpointsOf(this.graph, "s3").filter((e) => peek(() => e.props.vpcEndpointType) === "Gateway");
        for (const call of calls) {
            const eps = endpointsOf(this.graph, call.endpoint);
            if (eps.length === 0) continue;
            const region = str(peek(() => eps[0].props.serviceName))?.split(".")[2] ?? UNKNOWN_VALUE;
            const docs = this.documentsBucket();
            const request = requestOf(call, {
                account: this.account,
                region,
                documents: docs ? (str(peek(() => docs.props.bucket)) ?? UNKNOWN_VALUE) : UNKNOWN_VALUE,
                // Set per policy (bucketDecision): the endpoint policies do not read it.
                sourceVpce: UNKNOWN_VALUE,
                roleArn: (n) => this.roleArn(n),
            });
            for (const ep of eps) {
                const doc = peek(() => ep.props.policy);
                endpoint.push(evaluatePolicy(`${ep.name} endpoint policy`, doc === UNKNOWN ? "unknown" : parsePolicy(doc), request));
            }
            if (call.resourcePolicy === "documents") resource.push(this.bucketDecision(request, gateway));
        }
        const worst = (ds: LayerDecision[]): LayerDecision =>
            ds.find((d) => d.verdict === "deny") ??
            ds.find((d) => d.verdict === "unknown") ?? { verdict: "allow" as Verdict, rule: ds.map((d) => d.rule).join("; ") };
        const layers: IamLayer[] = [];
        if (endpoint.length > 0) layers.push({ layer: "endpointPolicy", ...worst(endpoint) });
        if (resource.length > 0) layers.push({ layer: "resourcePolicy", ...worst(resource) });
        return layers;
    }

    private docsMemo?: PolicyResource | null;
    /** The documents bucket: the bucket the django-web runtime role's policy names (joined by URN: components/data/endpoints.ts grantRuntime). */
    private documentsBucket(): PolicyResource | undefined {
        if (this.docsMemo !== undefined) return this.docsMemo ?? undefined;
        const grant = this.graph.ofType(T.rolePolicy).find((r) => r.name === "app-irsa-django-web");
        this.docsMemo = (grant && this.graph.refs(grant, "policy", T.bucket)[0]) ?? null;
        return this.docsMemo ?? undefined;
    }

    /**
     * The documents bucket's policy for a request through this VPC's gateway endpoint. A stack policy sees no IDs, so the
     * request's aws:SourceVpce is joined by URN: the endpoints the bucket policy names are its `policy` dependencies;
     * when that is this VPC's gateway endpoint alone, the one endpoint ID the document names is its ID. An ID the
     * plan cannot join to our gateway endpoint (another endpoint, a hard-coded literal) is not the pods' way in.
     */
    private bucketDecision(request: IamRequest, gateway: PolicyResource | undefined): LayerDecision {
        const bucket = this.documentsBucket();
        if (!bucket) return { verdict: "unknown", rule: "documents bucket not found" };
        const [policy] = this.graph.referrers(bucket, [T.bucketPolicy], "bucket");
        if (!policy) return { verdict: "allow", rule: `${bucket.name}: no bucket policy` };
        const what = `${policy.name} bucket policy`;
        const named = this.graph.refs(policy, "policy", VPC_ENDPOINT);
        const names = named.map((e) => e.name).join(", ");
        if (named.length > 0 && gateway && !named.includes(gateway))
            return { verdict: "deny", rule: `${what}: its aws:SourceVpce names ${names}, not ${gateway.name}, which the pods' requests come through` };
        const doc = peek(() => policy.props.policy);
        if (doc === UNKNOWN)
            return {
                verdict: "unknown",
                rule: named.length === 0 ? `${what}: unknown, names no VPC endpoint` : `${what}: names ${names} (IDs unknown in preview)`,
            };
        const statements = parsePolicy(doc);
        const literals = [...new Set(statementsOf(statements).flatMap(sourceVpceValues))];
        const ours = gateway !== undefined && named.length === 1 && named[0] === gateway && literals.length === 1;
        const sourceVpce = ours ? literals[0] : `(${gateway?.name ?? "no gateway endpoint"})`;
        return evaluatePolicy(what, statements, { ...request, context: { ...request.context, "aws:SourceVpce": sourceVpce } }, false);
    }
}

const statementsOf = (s: ReturnType<typeof parsePolicy>): readonly PolicyStatementLike[] => (Array.isArray(s) ? s : []);
/** The endpoint IDs a statement's conditions compare aws:SourceVpce with. */
function sourceVpceValues(s: PolicyStatementLike): string[] {
    return Object.values(s.Condition ?? {}).flatMap((keys) =>
        Object.entries(keys ?? {})
            .filter(([k]) => k.toLowerCase() === "aws:sourcevpce")
            .flatMap(([, v]) => (Array.isArray(v) ? v.map(String) : [String(v)])),
    );
}

/** The verdict of both IAM layers together (for tests and the matrix). */
export const iamVerdict = (layers: readonly IamLayer[]): Verdict => combine(layers);

const perGraph = new WeakMap<Graph, IamLayers>();
/** The IAM layers of a graph's flows, computed once per graph. */
export function iamLayersOf(graph: Graph): IamLayers {
    let layers = perGraph.get(graph);
    if (!layers) perGraph.set(graph, (layers = new IamLayers(graph)));
    return layers;
}
