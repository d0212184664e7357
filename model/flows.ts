/**
 * The declared flows into the isolated (data) tier: which service listens there, on which port, for
 * which client tier. The isolated tier's NACL is derived from this list (model/network.ts naclRules),
 * so a service placed in that tier without a flow here gets no rule, and the test that walks every
 * data-tier resource of the plans through the NACLs fails. Pure.
 *
 * NACLs are stateless: each request needs its port allowed in on the server side and out on the
 * client side, and its reply (the client's ephemeral port) allowed back both ways.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
import { Tier } from "./cidr";
import { HTTPS_PORT, POSTGRES_PORT, REDIS_PORT } from "./ports";

/** One service of the isolated tier and the tiers that open connections to it. */
export interface DataTierFlow {
    /** What listens (names the rules' role, e.g. "postgres"). */
    readonly service: string;
    /** The TCP port it listens on. */
    readonly port: number;
    /** Tiers whose subnets connect to it. */
    readonly clients: readonly Tier[];
    /** The component that places it in the isolated tier. */
    readonly placedBy: string;
}

/**
 * Every service of the isolated tier. Append, never reorder: a flow's NACL rule numbers come from its
 * position (model/network.ts), so reordering would renumber, and replace, the rules of the others.
 */
export const DATA_TIER_FLOWS: readonly DataTierFlow[] = [
    { service: "postgres", port: POSTGRES_PORT, clients: ["private"], placedBy: "components/data (RDS PostgreSQL), components/dr (its replica)" },
    { service: "redis", port: REDIS_PORT, clients: ["private"], placedBy: "components/data (ElastiCache), components/dr (the warm cache)" },
    // Log shippers and queries over HTTPS (components/observability/logSearch.ts: the domain's ENIs sit in the isolated subnets).
    { service: "opensearch", port: HTTPS_PORT, clients: ["private"], placedBy: "components/observability/logSearch.ts" },
];

/**
 * AWS's default quota of rules per NACL and direction (adjustable to 40, at a cost in latency).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
 */
export const NACL_RULES_PER_DIRECTION = 20;

/** What a NACL rule says, as the evaluator below reads it. */
export interface NaclEntry {
    readonly ruleNumber: number;
    readonly egress: boolean;
    readonly protocol: string;
    readonly cidrBlock: string;
    readonly fromPort: number;
    readonly toPort: number;
    /** allow unless "deny". */
    readonly ruleAction?: string;
}

const toInt = (ip: string) => ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
const inCidr = (ip: string, cidr: string) => {
    const [base, prefix] = cidr.split("/");
    const size = 2 ** (32 - Number(prefix));
    return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
};

/**
 * Whether a NACL lets one TCP packet through in one direction: rules in ascending number, the first
 * that matches decides, and the implicit final rule denies (as AWS evaluates them). `peer` is the
 * remote address (the source inbound, the destination outbound), `port` the destination port,
 * `protocol` TCP unless given.
 */
export function naclAllows(
    entries: readonly NaclEntry[],
    packet: { readonly egress: boolean; readonly peer: string; readonly port: number; readonly protocol?: "tcp" | "udp" },
): boolean {
    const ordered = entries.filter((e) => e.egress === packet.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
    // A packet is TCP unless it says UDP (DNS to on-prem: model/network.ts); "6" and "17" are the IANA numbers AWS also accepts.
    const names = packet.protocol === "udp" ? ["udp", "17"] : ["tcp", "6"];
    for (const e of ordered) {
        const protocolMatches = e.protocol === "-1" || names.includes(e.protocol);
        const portMatches = e.protocol === "-1" || (packet.port >= e.fromPort && packet.port <= e.toPort);
        if (protocolMatches && portMatches && inCidr(packet.peer, e.cidrBlock)) return (e.ruleAction ?? "allow") === "allow";
    }
    return false;
}

// issue #12: every flow of the architecture, intended and forbidden, declared once ------------------------------

/** One end of a declared flow, as the reachability analysis (policy/reachability.ts) finds it in a plan. */
export type FlowEnd =
    | { readonly kind: "internet" }
    /** Route 53 health checkers: the managed prefix list com.amazonaws.<region>.route53-healthchecks. */
    | { readonly kind: "healthCheckers" }
    | { readonly kind: "alb" }
    /** Pods of the portal namespace with this `app` label. */
    | { readonly kind: "pods"; readonly app: string }
    /** The nodes themselves (kubelet image pulls, node-level log shippers): no portal NetworkPolicy applies. */
    | { readonly kind: "nodes" }
    | { readonly kind: "service"; readonly service: "postgres" | "redis" | "opensearch" }
    /** An interface VPC endpoint, by the service name's last part (sts, secretsmanager, ...). */
    | { readonly kind: "interfaceEndpoint"; readonly service: string }
    /** S3 through the gateway endpoint (its prefix list is probed by one public address). */
    | { readonly kind: "s3" }
    /** A public AWS API or the internet, on the far side of the NAT gateway. */
    | { readonly kind: "publicApi" }
    /** The password rotation function of a data store. */
    | { readonly kind: "rotation"; readonly of: "postgres" | "redis" }
    /** Any host of a subnet tier (for forbidden flows). */
    | { readonly kind: "tier"; readonly tier: Tier }
    /** An on-prem VLAN, by its position in `network.onPrem.cidrs` (application, data, DMZ: Pulumi.<stack>.yaml). */
    | { readonly kind: "onPrem"; readonly vlan: "application" | "data" | "dmz" }
    /** issue #13: the log shipper's pods (Fluent Bit in the logging namespace, on the pod network: not hostNetwork). */
    | { readonly kind: "shipperPods" };

export interface DeclaredFlow {
    /** Unique, kebab-case: the name the flow matrix and violations use. */
    readonly name: string;
    readonly from: FlowEnd;
    readonly to: FlowEnd;
    readonly protocol: "tcp" | "udp";
    readonly port: number;
    /** Intended (must be admitted at every layer) or forbidden (must be blocked at one at least). */
    readonly intended: boolean;
    readonly why: string;
    /** The seed section (shared/seed/technical-design-document.txt). */
    readonly seed: string;
    /** Forbidden flows: the layer that must block it by itself (defence in depth: seed 1.4 wants no route out of the isolated tier at all). */
    readonly blockedBy?: "networkPolicy" | "securityGroup" | "nacl" | "route" | "mesh";
}

/** On-prem VLANs in the order of `network.onPrem.cidrs`. */
export const ON_PREM_VLANS = ["application", "data", "dmz"] as const;

const intended = (name: string, from: FlowEnd, to: FlowEnd, port: number, seed: string, why: string): DeclaredFlow => ({
    name,
    from,
    to,
    protocol: "tcp",
    port,
    intended: true,
    why,
    seed,
});
const forbidden = (name: string, from: FlowEnd, to: FlowEnd, port: number, seed: string, why: string): DeclaredFlow => ({
    ...intended(name, from, to, port, seed, why),
    intended: false,
});
const pods = (app: string): FlowEnd => ({ kind: "pods", app });

/**
 * The architecture's flows (issue #12): the analysis walks each through NetworkPolicies, security groups, NACLs and
 * route tables of both ends. A flow whose ends a stack does not have (dr's pilot light has no rotation function of
 * its own, say) is reported "absent", never admitted. DR reads the same list: the VPN flows are declared once.
 */
export const FLOWS: readonly DeclaredFlow[] = [
    intended("citizens-to-alb-https", { kind: "internet" }, { kind: "alb" }, HTTPS_PORT, "1.1, 4.2", "the portal's only public entry, through the WAF"),
    intended("citizens-to-alb-http-redirect", { kind: "internet" }, { kind: "alb" }, 80, "4.2", "HTTP only to redirect to HTTPS"),
    intended("health-checkers-to-alb", { kind: "healthCheckers" }, { kind: "alb" }, 8443, "3.1", "Route 53 failover probes the primary"),
    intended("alb-to-django-web", { kind: "alb" }, pods("django-web"), 8000, "1.1", "ip targets: the ALB reaches the pods themselves"),
    intended("alb-to-fastapi-api", { kind: "alb" }, pods("fastapi-api"), 8080, "1.1", "ip targets: the ALB reaches the pods themselves"),
    intended("pods-to-postgres", pods("django-web"), { kind: "service", service: "postgres" }, POSTGRES_PORT, "1.4, 2", "the application database"),
    intended("pods-to-redis", pods("django-web"), { kind: "service", service: "redis" }, REDIS_PORT, "2", "sessions and the Celery broker"),
    intended("workers-to-postgres", pods("celery-worker"), { kind: "service", service: "postgres" }, POSTGRES_PORT, "2", "background jobs"),
    intended("pods-to-s3", pods("django-web"), { kind: "s3" }, HTTPS_PORT, "2", "documents, through the S3 gateway endpoint"),
    ...["sts", "secretsmanager", "kms", "logs"].map((service) =>
        intended(
            `pods-to-${service}-endpoint`,
            pods("django-web"),
            { kind: "interfaceEndpoint", service },
            HTTPS_PORT,
            "4.1",
            "AWS APIs over the interface endpoint (private DNS)",
        ),
    ),
    ...["ecr.api", "ecr.dkr"].map((service) =>
        intended(`nodes-to-${service}-endpoint`, { kind: "nodes" }, { kind: "interfaceEndpoint", service }, HTTPS_PORT, "4.1", "image pulls by the kubelet"),
    ),
    intended(
        "shippers-to-opensearch",
        { kind: "nodes" },
        { kind: "service", service: "opensearch" },
        HTTPS_PORT,
        "5",
        "log shipping and queries (issue #11: the isolated NACL dropped it)",
    ),
    intended(
        "pods-to-public-apis-via-nat",
        pods("django-web"),
        { kind: "publicApi" },
        HTTPS_PORT,
        "2, 5",
        "AMP remote write and public AWS APIs, through the NAT of the pod's AZ",
    ),
    intended("rotation-to-postgres", { kind: "rotation", of: "postgres" }, { kind: "service", service: "postgres" }, POSTGRES_PORT, "4.1", "ALTER USER"),
    intended(
        "rotation-to-secretsmanager-endpoint",
        { kind: "rotation", of: "postgres" },
        { kind: "interfaceEndpoint", service: "secretsmanager" },
        HTTPS_PORT,
        "4.1",
        "the rotation steps",
    ),
    intended(
        "cache-rotation-to-secretsmanager-endpoint",
        { kind: "rotation", of: "redis" },
        { kind: "interfaceEndpoint", service: "secretsmanager" },
        HTTPS_PORT,
        "4.1",
        "the rotation steps",
    ),
    intended(
        "cache-rotation-to-elasticache-endpoint",
        { kind: "rotation", of: "redis" },
        { kind: "interfaceEndpoint", service: "elasticache" },
        HTTPS_PORT,
        "4.1",
        "ModifyUser",
    ),
    intended(
        "nodes-to-on-prem-application-vlan",
        { kind: "nodes" },
        { kind: "onPrem", vlan: "application" },
        HTTPS_PORT,
        "1.3",
        "the on-prem cluster API and MinIO over the VPN",
    ),
    forbidden("internet-to-pods", { kind: "internet" }, pods("django-web"), 8000, "1.1, 4.3", "only the ALB faces citizens"),
    forbidden("internet-to-alb-ssh", { kind: "internet" }, { kind: "alb" }, 22, "1.1", "nothing but the web ports faces the internet"),
    forbidden("internet-to-postgres", { kind: "internet" }, { kind: "service", service: "postgres" }, POSTGRES_PORT, "1.4", "the data tier is never public"),
    forbidden(
        "public-tier-to-postgres",
        { kind: "tier", tier: "public" },
        { kind: "service", service: "postgres" },
        POSTGRES_PORT,
        "1.4",
        "the DMZ never reaches the data tier",
    ),
    forbidden(
        "public-tier-to-redis",
        { kind: "tier", tier: "public" },
        { kind: "service", service: "redis" },
        REDIS_PORT,
        "1.4",
        "the DMZ never reaches the data tier",
    ),
    {
        ...forbidden(
            "data-tier-to-internet",
            { kind: "tier", tier: "isolated" },
            { kind: "publicApi" },
            HTTPS_PORT,
            "1.4",
            "no route out of the isolated tier, not even through NAT",
        ),
        blockedBy: "route",
    },
    forbidden("pods-to-internet-http", pods("django-web"), { kind: "publicApi" }, 80, "4.3", "egress only on 443"),
    forbidden(
        "on-prem-dmz-to-postgres",
        { kind: "onPrem", vlan: "dmz" },
        { kind: "service", service: "postgres" },
        POSTGRES_PORT,
        "1.3, 1.4",
        "the on-prem DMZ never reaches the data tier",
    ),
    // issue #12 build 3: service-to-service calls inside the portal namespace. The mesh's AuthorizationPolicies are generated from the
    // intended ones that end at pods (model/mesh.ts SERVICE_FLOWS); the network layers see them on the HBONE port (policy/reachability.ts).
    intended("django-web-to-fastapi-api", pods("django-web"), pods("fastapi-api"), 8080, "4.2, 4.3", "server-side rendering calls the API"),
    // Seed 4.3 asks every connection to be authenticated and authorized: the mesh must refuse these by itself, whatever the NetworkPolicies say.
    ...[
        forbidden("fastapi-api-to-django-web", pods("fastapi-api"), pods("django-web"), 8000, "4.3", "the API never calls back into the site"),
        forbidden("celery-worker-to-fastapi-api", pods("celery-worker"), pods("fastapi-api"), 8080, "4.3", "workers only consume from Redis"),
        // Celery listens on no port: any port stands for "anything"; the site's own 8000 is the likeliest mistake.
        forbidden("django-web-to-celery-worker", pods("django-web"), pods("celery-worker"), 8000, "4.3", "nothing calls the workers: tasks go through Redis"),
        forbidden("fastapi-api-to-celery-worker", pods("fastapi-api"), pods("celery-worker"), 8000, "4.3", "nothing calls the workers: tasks go through Redis"),
        forbidden("django-web-to-celery-beat", pods("django-web"), pods("celery-beat"), 8000, "4.3", "nothing calls the scheduler"),
        forbidden("alb-to-celery-worker", { kind: "alb" }, pods("celery-worker"), 8000, "1.1, 4.3", "the edge reaches the served workloads only"),
    ].map((f): DeclaredFlow => ({ ...f, blockedBy: "mesh" })),
    // issue #13: log shipping (components/observability/logShipping/): Fluent Bit's pods, under the logging namespace's own
    // NetworkPolicies, to the domain (_bulk, SigV4) and to the interface endpoints of CloudWatch Logs and STS (IRSA).
    intended(
        "shipper-pods-to-opensearch",
        { kind: "shipperPods" },
        { kind: "service", service: "opensearch" },
        HTTPS_PORT,
        "6",
        "container and node logs into OpenSearch",
    ),
    ...["logs", "sts"].map((service) =>
        intended(
            `shipper-pods-to-${service}-endpoint`,
            { kind: "shipperPods" },
            { kind: "interfaceEndpoint", service },
            HTTPS_PORT,
            "6",
            service === "logs" ? "container and node logs into CloudWatch Logs" : "the IRSA token exchanged for the shipper role's credentials",
        ),
    ),
    // issue #13: C (collectors). The collector pods have no portal NetworkPolicy: at the AWS layers they are the nodes.
    ...["aps-workspaces", "xray"].map((service) =>
        intended(
            `collectors-to-${service}-endpoint`,
            { kind: "nodes" },
            { kind: "interfaceEndpoint", service },
            HTTPS_PORT,
            "6",
            "metrics remote write (AMP) and traces (X-Ray) from the EKS collector",
        ),
    ),
];
