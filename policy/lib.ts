/**
 * Building blocks shared by every guardrail: how a policy is declared (concern, seed
 * section, remediation hint, waiver), how it reads props that may be unknown during
 * preview, and how stack policies follow the resource graph through dependencies
 * (URNs), which are known in preview as well as in an update.
 */
import {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
} from "@pulumi/policy";

export type Concern =
    | "encryption"
    | "availability"
    | "data-protection"
    | "network-exposure"
    | "identity"
    | "audit"
    | "kubernetes-workloads"
    | "supply-chain"
    | "edge"
    | "deployability";

/** What the README's policy table shows for each guardrail. */
export interface GuardrailMeta {
    readonly concern: Concern;
    /** Section of the technical design document the rule enforces. */
    readonly seed: string;
    /** Why the rule exists, in one sentence. */
    readonly why: string;
    /** Resource types the rule reads. */
    readonly types: readonly string[];
}

export type Guardrail = (ResourceValidationPolicy | StackValidationPolicy) & { readonly meta: GuardrailMeta };

/** Configuration every guardrail accepts (from `--policy-pack-config` or the offline runner's `--policy-config`). */
export interface WaivableConfig {
    /** Why this stack lowers the policy's enforcement; required to lower it, shown with every violation. */
    waiverReason?: string;
}

export const WAIVER_REASON_MIN_LENGTH = 15;

const waiverSchema = {
    waiverReason: {
        type: "string" as const,
        minLength: WAIVER_REASON_MIN_LENGTH,
        description: "Why this stack lowers the policy's enforcement level; required to lower a mandatory policy and shown with every violation.",
    },
};

// ---------------------------------------------------------------------------------------------
// Unknown values (preview)
// ---------------------------------------------------------------------------------------------

/** Stands for a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Maybe<T> = T | typeof UNKNOWN;

/** Reads through the analyzer's unknown-checking proxy: an unknown value becomes UNKNOWN instead of throwing. */
export function peek<T>(read: () => T): Maybe<T> {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return UNKNOWN;
        throw e;
    }
}

/** True if the prop is set: to a value, or to something unknown now but provided (an output of another resource). */
export function isSet(props: Record<string, unknown>, key: string): boolean {
    const v = peek(() => props[key]);
    return v === UNKNOWN || (v !== undefined && v !== null && v !== "");
}

export const asArray = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Parses a JSON document prop (IAM policies); objects pass through. Undefined if absent or malformed. */
export function parseJson(v: unknown): Record<string, unknown> | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "object") return v as Record<string, unknown>;
    try {
        const parsed = JSON.parse(String(v));
        return parsed !== null && typeof parsed === "object" ? parsed : undefined;
    } catch {
        return undefined;
    }
}

// ---------------------------------------------------------------------------------------------
// Stack facts
// ---------------------------------------------------------------------------------------------

/** Tags an AWS provider applies to everything (`defaultTags`: a JSON string in provider state, an object in a fixture). */
export function providerDefaultTags(props: Record<string, unknown>): Readonly<Record<string, string>> {
    const raw = peek(() => props.defaultTags);
    if (raw === UNKNOWN) return {};
    // Every resource of a provider carries the same document: parse it once, not once per resource and policy.
    if (typeof raw === "string" && raw === lastDefaultTags.raw) return lastDefaultTags.tags;
    const parsed = parseJson(raw) as { tags?: Record<string, string> } | undefined;
    const tags = parsed?.tags ?? {};
    if (typeof raw === "string") lastDefaultTags = { raw, tags };
    return tags;
}

let lastDefaultTags: { raw: string | undefined; tags: Readonly<Record<string, string>> } = { raw: undefined, tags: {} };

/**
 * The environment ("production", ...) a resource is deployed to: the `environment` default tag of
 * its AWS provider (set by stacks/platform.ts from config, known at preview), else its own tags.
 */
export function environmentOf(resource: { props: Record<string, unknown>; provider?: { props: Record<string, unknown> } }): string | undefined {
    const fromProvider = resource.provider ? providerDefaultTags(resource.provider.props).environment : undefined;
    if (fromProvider) return fromProvider;
    const tags = peek(() => resource.props.tags as Record<string, string> | undefined);
    return tags === UNKNOWN ? undefined : tags?.environment;
}

/** The stack's environment: from any AWS provider in the stack (Kubernetes resources carry no AWS tags). */
export function stackEnvironment(resources: PolicyResource[]): string | undefined {
    for (const r of resources) {
        if (r.type === "pulumi:providers:aws") {
            const env = providerDefaultTags(r.props).environment;
            if (env) return env;
        }
    }
    for (const r of resources) {
        const env = environmentOf(r);
        if (env) return env;
    }
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Declaring guardrails
// ---------------------------------------------------------------------------------------------

interface CommonDef {
    readonly name: string;
    readonly description: string;
    /** How to fix a violation. */
    readonly remediation: string;
    readonly concern: Concern;
    readonly seed: string;
    readonly why: string;
    /** Default mandatory. */
    readonly level?: "mandatory" | "advisory";
    readonly types: readonly string[];
    /** Extra config properties (JSON schema); waiverReason is always accepted. */
    readonly config?: PolicyConfigSchema["properties"];
}

/** Reports a violation; `advisory` marks a declared, reasoned opt-out that is shown but does not block. */
export type Report = (message: string, urn?: string, level?: "advisory") => void;

export interface ResourceCheck {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, any>;
    readonly args: ResourceValidationArgs;
    /** The resource's environment ("production", ...), if known. */
    readonly environment: string | undefined;
    readonly config: Record<string, any>;
}

export interface StackCheck {
    readonly resources: PolicyResource[];
    readonly graph: Graph;
    readonly environment: string | undefined;
    readonly config: Record<string, any>;
}

/**
 * Wraps the engine's reportViolation so that a waiver needs a reason: without `waiverReason` a
 * mandatory guardrail reports at `mandatory` whatever level the config asks for (the analyzer
 * honours a per-violation level); with one, the configured level applies and the reason is shown.
 */
function reporter(def: CommonDef, config: WaivableConfig, reportViolation: ReportViolation): Report {
    const reason =
        typeof config.waiverReason === "string" && config.waiverReason.trim().length >= WAIVER_REASON_MIN_LENGTH ? config.waiverReason.trim() : undefined;
    return (message, urn, level) => {
        if (level === "advisory") {
            (reportViolation as unknown as (v: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void)({
                message: `${def.description}\n${message}`,
                urn,
                enforcementLevel: "advisory",
            });
        } else if (reason) {
            reportViolation(`${message} [waived: ${reason}]`, urn);
        } else if ((def.level ?? "mandatory") === "mandatory") {
            // The object form of reportViolation (supported by the @pulumi/policy analyzer) fixes the level.
            (reportViolation as unknown as (v: { message: string; urn?: string; enforcementLevel: EnforcementLevel }) => void)({
                message: `${def.description}\n${message}`,
                urn,
                enforcementLevel: "mandatory",
            });
        } else {
            reportViolation(message, urn);
        }
    };
}

function common(def: CommonDef) {
    return {
        name: def.name,
        description: def.description,
        enforcementLevel: def.level ?? ("mandatory" as EnforcementLevel),
        remediationSteps: def.remediation,
        tags: [def.concern],
        configSchema: { properties: { ...waiverSchema, ...(def.config ?? {}) } },
        meta: { concern: def.concern, seed: def.seed, why: def.why, types: def.types },
    };
}

/** A policy evaluated on each resource of the given types (runs at `analyze`, on the resource's inputs). */
export function resourceGuardrail(def: CommonDef & { check: (r: ResourceCheck, report: Report) => void }): Guardrail {
    const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!def.types.includes(args.type)) return;
        const config = args.getConfig<Record<string, any>>();
        const report = reporter(def, config, reportViolation);
        // The environment is read only by the checks that ask for it.
        const check: ResourceCheck = {
            type: args.type,
            name: args.name,
            urn: args.urn,
            props: args.props,
            args,
            get environment() {
                return environmentOf(args);
            },
            config,
        };
        def.check(check, (message, _urn, level) => report(message, args.urn, level));
    };
    // Lets the analyzer skip other types without calling us (as validateResourceOfType does).
    if (def.types.length === 1) (validate as unknown as { __pulumiType: string }).__pulumiType = def.types[0];
    return { ...common(def), validateResource: validate };
}

/** A policy over the whole stack (runs at `analyzeStack`), for rules that join resources. */
export function stackGuardrail(def: CommonDef & { check: (s: StackCheck, report: Report) => void }): Guardrail {
    return {
        ...common(def),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const config = args.getConfig<Record<string, any>>();
            const report = reporter(def, config, reportViolation);
            def.check({ resources: args.resources, graph: new Graph(args.resources), environment: stackEnvironment(args.resources), config }, report);
        },
    };
}

// ---------------------------------------------------------------------------------------------
// The resource graph
// ---------------------------------------------------------------------------------------------

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    eigw: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    nacl: "aws:ec2/networkAcl:NetworkAcl",
    naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    naclAssoc: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    defaultNacl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    flowLog: "aws:ec2/flowLog:FlowLog",
    rds: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsParams: "aws:rds/parameterGroup:ParameterGroup",
    rdsClusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    rdsSubnets: "aws:rds/subnetGroup:SubnetGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnets: "aws:elasticache/subnetGroup:SubnetGroup",
    opensearch: "aws:opensearch/domain:Domain",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketSseV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    randomPassword: "random:index/randomPassword:RandomPassword",
    topic: "aws:sns/topic:Topic",
    ebs: "aws:ebs/volume:Volume",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    eksComponent: "eks:index:Cluster",
    eksCluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    webAclAssoc: "aws:wafv2/webAclAssociation:WebAclAssociation",
    ecr: "aws:ecr/repository:Repository",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamPolicy: "aws:iam/policy:Policy",
    trail: "aws:cloudtrail/trail:Trail",
    vpn: "aws:ec2/vpnConnection:VpnConnection",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
} as const;

/** Kubernetes workload kinds that carry a pod template (plus bare Pods). */
export const WORKLOADS: readonly string[] = [T.deployment, T.statefulSet, T.daemonSet, T.job, T.cronJob, T.pod];

/**
 * Joins resources the way the program wired them. A reference prop (`subnetIds`, `routeTableId`,
 * ...) is resolved through the prop's propertyDependencies (URNs: known in preview), falling back
 * to matching known IDs or ARNs (`id`/`arn` outputs) for literals, as in an update.
 *
 * Built once per stack policy and indexed so that no lookup scans the graph: resources by type,
 * and each (types, key) reverse join (`referrers`) the first time it is asked for. Results keep
 * the graph's order, so diagnostics come out in the same order as a scan would give them.
 */
export class Graph {
    private readonly byType = new Map<string, PolicyResource[]>();
    private readonly reverse = new Map<string, Map<PolicyResource, PolicyResource[]>>();
    // Built on first use: each stack policy gets its own graph, and not every policy needs them.
    private urns?: Map<string, PolicyResource>;
    private identities?: Map<string, PolicyResource>;
    private positions?: Map<PolicyResource, number>;

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            const sameType = this.byType.get(r.type);
            if (sameType) sameType.push(r);
            else this.byType.set(r.type, [r]);
        }
    }

    get byUrn(): Map<string, PolicyResource> {
        return (this.urns ??= new Map(this.resources.map((r) => [r.urn, r])));
    }

    /** Resources by their known `id` and `arn` (the literals an update resolves references by). */
    private get byIdentity(): Map<string, PolicyResource> {
        if (!this.identities) {
            this.identities = new Map();
            for (const r of this.resources) {
                for (const key of ["id", "arn"]) {
                    const v = peek(() => r.props[key]);
                    if (typeof v === "string" && v !== "") this.identities.set(v, r);
                }
            }
        }
        return this.identities;
    }

    /** Resources of the given types, in graph order (a fresh array). */
    ofType(...types: string[]): PolicyResource[] {
        const lists = [...new Set(types)].map((t) => this.byType.get(t)).filter((l): l is PolicyResource[] => l !== undefined);
        if (lists.length <= 1) return lists.length === 0 ? [] : [...lists[0]];
        return this.inOrder(lists.flat());
    }

    /** Some resources of this graph, deduplicated, in graph order. */
    inOrder(resources: Iterable<PolicyResource>): PolicyResource[] {
        const unique = [...new Set(resources)];
        if (unique.length < 2) return unique;
        const position = (this.positions ??= new Map(this.resources.map((r, i) => [r, i])));
        return unique.sort((a, b) => position.get(a)! - position.get(b)!);
    }

    /** The resources a reference prop points to (deduplicated), optionally of given types. */
    refs(r: PolicyResource, key: string, ...types: string[]): PolicyResource[] {
        const found = new Set<PolicyResource>(r.propertyDependencies[key] ?? []);
        const value = peek(() => r.props[key]);
        // Element by element: in preview, single elements of a list of IDs are unknown.
        const elements: unknown[] = [];
        if (Array.isArray(value)) {
            const length = peek(() => value.length);
            for (let i = 0; typeof length === "number" && i < length; i++) elements.push(peek(() => value[i]));
        } else {
            elements.push(value);
        }
        for (const literal of elements) {
            const target = typeof literal === "string" ? this.byIdentity.get(literal) : undefined;
            if (target) found.add(target);
        }
        return [...found].filter((x) => types.length === 0 || types.includes(x.type));
    }

    /** Resources of `types` whose reference prop `key` points at `target`, in graph order. */
    referrers(target: PolicyResource, types: string[], key: string): PolicyResource[] {
        const id = JSON.stringify([key, ...types]);
        let index = this.reverse.get(id);
        if (!index) {
            // One pass over the referring types answers every target: refs() is pure and deduplicated.
            index = new Map();
            for (const r of this.ofType(...types)) {
                for (const x of this.refs(r, key)) {
                    const list = index.get(x);
                    if (list) list.push(r);
                    else index.set(x, [r]);
                }
            }
            this.reverse.set(id, index);
        }
        return [...(index.get(target) ?? [])];
    }

    /** Route tables explicitly associated with a subnet (empty: the VPC's main route table applies). */
    routeTablesOf(subnet: PolicyResource): PolicyResource[] {
        return this.referrers(subnet, [T.rtAssoc], "subnetId").flatMap((a) => this.refs(a, "routeTableId", T.routeTable));
    }

    /** Each route of a route table (standalone Route resources and inline `routes`), with its target classified. */
    routesOf(rt: PolicyResource): RouteInfo[] {
        const routes: RouteInfo[] = [];
        for (const r of this.referrers(rt, [T.route], "routeTableId")) {
            routes.push({
                resource: r,
                destination: destinationOf(r.props),
                target: this.classifyTarget(r.props, (k) => this.refs(r, k)),
            });
        }
        const inline = peek(() => rt.props.routes as Record<string, unknown>[] | undefined);
        if (inline !== UNKNOWN) {
            for (const route of asArray(inline)) {
                // Inline routes share the table's dependencies on the "routes" prop.
                routes.push({ resource: rt, destination: destinationOf(route), target: this.classifyTarget(route, () => this.refs(rt, "routes")) });
            }
        }
        return routes;
    }

    private classifyTarget(route: Record<string, unknown>, deps: (key: string) => PolicyResource[]): RouteTarget {
        if (isSet(route, "natGatewayId")) return { kind: "nat", gateway: deps("natGatewayId").find((d) => d.type === T.nat) };
        if (isSet(route, "egressOnlyGatewayId")) return { kind: "internet" };
        if (isSet(route, "gatewayId")) {
            const gw = deps("gatewayId").find((d) => d.type === T.igw || d.type === T.nat || d.type === T.eigw);
            if (gw) return { kind: gw.type === T.nat ? "nat" : "internet", gateway: gw };
            const literal = peek(() => route.gatewayId);
            if (typeof literal === "string" && literal.startsWith("igw-")) return { kind: "internet" };
            if (typeof literal === "string" && literal.startsWith("nat-")) return { kind: "nat" };
            return { kind: "other" };
        }
        return { kind: "other" };
    }

    /** The AZ a subnet is in (name or ID); throws UnknownValueError in preview if not known yet. */
    azOf(subnet: PolicyResource): string | undefined {
        return (subnet.props.availabilityZone as string | undefined) ?? (subnet.props.availabilityZoneId as string | undefined);
    }

    /** The subnet tier from the `hybrid:tier` tag (public / private / isolated). */
    tierOf(r: PolicyResource): string | undefined {
        const tags = peek(() => r.props.tags as Record<string, string> | undefined);
        return tags === UNKNOWN ? undefined : tags?.["hybrid:tier"];
    }
}

export interface RouteTarget {
    readonly kind: "internet" | "nat" | "other";
    readonly gateway?: PolicyResource;
}

export interface RouteInfo {
    readonly resource: PolicyResource;
    readonly destination: string | undefined;
    readonly target: RouteTarget;
}

function destinationOf(route: Record<string, unknown>): string | undefined {
    const v = peek(() => (route.destinationCidrBlock ?? route.cidrBlock ?? route.destinationIpv6CidrBlock ?? route.ipv6CidrBlock) as string | undefined);
    return v === UNKNOWN ? undefined : v;
}

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

export const WORLD = ["0.0.0.0/0", "::/0"];
export const isWorld = (cidr: unknown): boolean => typeof cidr === "string" && WORLD.includes(cidr.trim());

/** RFC 1918 / RFC 6598 / ULA: addresses that cannot come from the internet. */
export function isPrivateCidr(cidr: string): boolean {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
    if (!m) return /^f[cd][0-9a-f]{2}:/i.test(cidr.trim());
    const [a, b, prefix] = [Number(m[1]), Number(m[2]), Number(m[5])];
    if (a === 10) return prefix >= 8;
    if (a === 172 && b >= 16 && b <= 31) return prefix >= 12;
    if (a === 192 && b === 168) return prefix >= 16;
    if (a === 100 && b >= 64 && b <= 127) return prefix >= 10;
    return false;
}

/** Short resource label for messages: "type name". */
export const label = (r: { type: string; name: string }): string => `${r.type.split(":").pop()} ${r.name}`;
