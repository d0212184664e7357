/**
 * The architecture diagram (issue #15 build 6): a Mermaid `flowchart LR` generated from a plan's graph,
 * not drawn by hand. Subgraphs per region (the stack's, and the other region a dr plan writes to), per
 * tier (the top-level component, tierOf) and per availability zone for per-AZ resources (subnets, NAT
 * gateways, node groups); on-prem beside them. Only the main resources, aggregated by type with counts.
 * Edges are data flows: the serving path, the data-tier flows of model/flows.ts, the VPN, and
 * cross-region replication (dashed). Pure.
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
import type { Plan, PlannedResource } from "../offline";
import { tierOf } from "../offline";
import { DATA_TIER_FLOWS } from "../../model/flows";

type Shape = "box" | "db";
/** The types the diagram shows, with their label; everything else is left out (550 nodes help nobody). */
const MAIN: Readonly<Record<string, { label: string; shape?: Shape }>> = {
    "aws:route53/record:Record": { label: "Route53 records" },
    "aws:route53/healthCheck:HealthCheck": { label: "Route53 health checks" },
    "aws:route53/resolverEndpoint:ResolverEndpoint": { label: "Route53 Resolver endpoint" },
    "aws:wafv2/webAcl:WebAcl": { label: "WAF web ACL" },
    "aws:lb/loadBalancer:LoadBalancer": { label: "ALB" },
    "aws:ec2/vpc:Vpc": { label: "VPC" },
    "aws:ec2/internetGateway:InternetGateway": { label: "Internet gateway" },
    "aws:ec2/subnet:Subnet": { label: "subnet" },
    "aws:ec2/natGateway:NatGateway": { label: "NAT gateway" },
    "aws:ec2/vpcEndpoint:VpcEndpoint": { label: "VPC endpoints" },
    "aws:ec2/vpnGateway:VpnGateway": { label: "VPN gateway" },
    "aws:ec2/vpnConnection:VpnConnection": { label: "Site-to-Site VPN" },
    "eks:index:Cluster": { label: "EKS control plane" },
    "aws:eks/nodeGroup:NodeGroup": { label: "EKS node group" },
    "aws:rds/instance:Instance": { label: "RDS PostgreSQL", shape: "db" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { label: "ElastiCache Redis", shape: "db" },
    "aws:opensearch/domain:Domain": { label: "OpenSearch", shape: "db" },
    "aws:s3/bucket:Bucket": { label: "S3 buckets", shape: "db" },
    "aws:amp/workspace:Workspace": { label: "Managed Prometheus" },
    "aws:grafana/workspace:Workspace": { label: "Managed Grafana" },
    "aws:ec2/customerGateway:CustomerGateway": { label: "on-prem firewall (customer gateway)" },
    "minio:index/s3Bucket:S3Bucket": { label: "MinIO bucket", shape: "db" },
    "hybrid:onprem:OnPremHosts": { label: "on-prem hosts" },
};
/** Where each data-tier flow of model/flows.ts lands. */
const FLOW_TARGET: Readonly<Record<string, string>> = {
    postgres: "aws:rds/instance:Instance",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    opensearch: "aws:opensearch/domain:Domain",
};
const ON_PREM = "on-prem";

/** Text safe inside a quoted Mermaid label: quotes, `#`, angle brackets, pipes, backticks as entity codes. */
export function mermaidText(s: string): string {
    return s
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/\|/g, "#124;")
        .replace(/`/g, "#96;")
        .replace(/[\r\n\t]+/g, " ");
}

interface Node {
    id: string;
    type: string;
    region: string;
    tier: string;
    az: string | null;
    label: string;
    members: PlannedResource[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const arnRegion = (arn: unknown): string | undefined => (typeof arn === "string" ? /^arn:aws[\w-]*:[\w-]+:([a-z]{2}-[a-z]+-\d):/.exec(arn)?.[1] : undefined);

export function mermaidOf(plan: Plan): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const providerRegion = new Map<string, string>();
    for (const r of plan.resources) if (r.type === "pulumi:providers:aws" && str(r.props.region)) providerRegion.set(r.urn, r.props.region as string);
    const regionOfProvider = (r: PlannedResource): string | undefined =>
        r.provider ? providerRegion.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined;
    // The stack's region: the one most of its AWS resources are created in.
    const counts = new Map<string, number>();
    for (const r of plan.resources) {
        const reg = regionOfProvider(r);
        if (reg) counts.set(reg, (counts.get(reg) ?? 0) + 1);
    }
    const home = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "region";
    const tiers = new Map<string, string>();
    const tier = (r: PlannedResource): string => tiers.get(r.urn) ?? (tiers.set(r.urn, tierOf(plan, r, byUrn)), tiers.get(r.urn)!);
    const regionOf = (r: PlannedResource): string => {
        if (r.type.startsWith("minio:") || r.type === "aws:ec2/customerGateway:CustomerGateway" || tier(r).startsWith("OnPremHosts")) return ON_PREM;
        return str(r.props.region) ?? regionOfProvider(r) ?? home;
    };
    // Availability zones: subnets name theirs; NAT gateways and node groups sit in the subnets they read (URN edges, so preview works too).
    const azOfSubnet = (urn: string): string | undefined => str(byUrn.get(urn)?.props.availabilityZone);
    const azOf = (r: PlannedResource): string | null => {
        if (r.type === "aws:ec2/subnet:Subnet") return str(r.props.availabilityZone) ?? null;
        const subnets = r.propertyDependencies?.[r.type === "aws:eks/nodeGroup:NodeGroup" ? "subnetIds" : "subnetId"] ?? [];
        const azs = new Set(subnets.map(azOfSubnet).filter((z): z is string => z !== undefined));
        return (r.type === "aws:ec2/natGateway:NatGateway" || r.type === "aws:eks/nodeGroup:NodeGroup") && azs.size === 1 ? [...azs][0] : null;
    };

    const nodes = new Map<string, Node>();
    const nodeOf = new Map<string, Node>();
    const add = (type: string, region: string, tierName: string, az: string | null, kind: string, member?: PlannedResource): Node => {
        const key = [region, tierName, az ?? "", kind].join("|");
        let n = nodes.get(key);
        if (!n) nodes.set(key, (n = { id: `n${nodes.size}`, type, region, tier: tierName, az, label: kind, members: [] }));
        if (member) {
            n.members.push(member);
            nodeOf.set(member.urn, n);
        }
        return n;
    };
    for (const r of plan.resources) {
        const main = MAIN[r.type];
        if (!main) continue;
        const subnetTier = r.type === "aws:ec2/subnet:Subnet" ? str((r.props.tags as Record<string, unknown> | undefined)?.["hybrid:tier"]) : undefined;
        add(r.type, regionOf(r), tier(r), azOf(r), subnetTier ? `${subnetTier} subnet` : main.label, r);
    }
    const ofType = (type: string, region?: string): Node[] =>
        [...nodes.values()].filter((n) => n.type === type && (region === undefined || n.region === region));

    const edges = new Map<string, { from: Node; to: Node; label: string; dashed: boolean }>();
    const link = (from: Node | undefined, to: Node | undefined, label: string, dashed = false): void => {
        if (!from || !to || from === to) return;
        edges.set(`${from.id}>${to.id}|${label}`, { from, to, label, dashed });
    };
    for (const region of new Set([...nodes.values()].map((n) => n.region))) {
        const albs = ofType("aws:lb/loadBalancer:LoadBalancer", region);
        const groups = ofType("aws:eks/nodeGroup:NodeGroup", region);
        for (const alb of albs) {
            for (const rec of ofType("aws:route53/record:Record")) link(rec, alb, "DNS");
            for (const waf of ofType("aws:wafv2/webAcl:WebAcl", region)) link(waf, alb, "filters");
            for (const g of groups) link(alb, g, "HTTPS");
        }
        for (const cp of ofType("eks:index:Cluster", region)) for (const g of groups) link(cp, g, "schedules");
        for (const flow of DATA_TIER_FLOWS)
            for (const target of ofType(FLOW_TARGET[flow.service] ?? "", region))
                if (flow.clients.includes("private")) for (const g of groups) link(g, target, `${flow.service} :${flow.port}`);
        for (const nat of ofType("aws:ec2/natGateway:NatGateway", region)) {
            for (const s of ofType("aws:ec2/subnet:Subnet", region)) if (s.az === nat.az && s.label.startsWith("private")) link(s, nat, "egress");
            for (const igw of ofType("aws:ec2/internetGateway:InternetGateway", region)) link(nat, igw, "egress");
        }
        for (const vgw of ofType("aws:ec2/vpnGateway:VpnGateway", region))
            for (const vpn of ofType("aws:ec2/vpnConnection:VpnConnection", region)) link(vgw, vpn, "IPsec");
    }
    for (const vpn of ofType("aws:ec2/vpnConnection:VpnConnection")) {
        for (const cgw of ofType("aws:ec2/customerGateway:CustomerGateway")) link(vpn, cgw, "IPsec");
    }
    for (const cgw of ofType("aws:ec2/customerGateway:CustomerGateway"))
        for (const n of [...nodes.values()]) if (n.region === ON_PREM && n !== cgw && n.type !== cgw.type) link(cgw, n, "site network");

    // Replication across regions: the database's read replica and S3 replication rules (dashed).
    const external = (type: string, region: string, label: string): Node => add(type, region, "(outside this stack)", null, label);
    for (const r of plan.resources) {
        if (r.type === "aws:rds/instance:Instance" && str(r.props.replicateSourceDb)) {
            const srcRegion = arnRegion(r.props.replicateSourceDb) ?? home;
            const src = ofType(r.type, srcRegion).find((n) => n.tier !== "(outside this stack)") ?? external(r.type, srcRegion, "RDS primary");
            link(src, nodeOf.get(r.urn), "read replica", true);
        }
        if (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
            const region = regionOf(r);
            const bucketNamed = (name: string | undefined): PlannedResource | undefined =>
                plan.resources.find((b) => b.type === "aws:s3/bucket:Bucket" && name !== undefined && b.props.bucket === name);
            const src = bucketNamed(str(r.props.bucket));
            const from = (src && nodeOf.get(src.urn)) ?? external("aws:s3/bucket:Bucket", region, "S3 source bucket");
            for (const rule of Array.isArray(r.props.rules) ? (r.props.rules as Record<string, any>[]) : []) {
                const dest = bucketNamed(str(rule?.destination?.bucket)?.replace(/^arn:aws[\w-]*:s3:::/, ""));
                const destRegion = arnRegion(rule?.destination?.encryptionConfiguration?.replicaKmsKeyId) ?? region;
                const to = (dest && nodeOf.get(dest.urn)) ?? external("aws:s3/bucket:Bucket", destRegion, "S3 replica bucket");
                link(from, to, rule?.destination?.replicationTime ? "S3 replication (RTC)" : "S3 replication", true);
            }
        }
    }
    return render([...nodes.values()], [...edges.values()], home, plan.stack);
}

function render(nodes: readonly Node[], edges: readonly { from: Node; to: Node; label: string; dashed: boolean }[], home: string, stack: string): string {
    const lines = ["flowchart LR"];
    let sg = 0;
    const group = <K>(items: readonly Node[], key: (n: Node) => K): Map<K, Node[]> => {
        const m = new Map<K, Node[]>();
        for (const n of items) m.set(key(n), [...(m.get(key(n)) ?? []), n]);
        return m;
    };
    const decl = (n: Node, indent: string): string => {
        const name = n.members.length === 1 ? ` ${n.members[0].name}` : "";
        const count = n.members.length > 1 ? ` x${n.members.length}` : "";
        const text = `"${mermaidText(`${n.label}${name}${count}`)}"`;
        return `${indent}${n.id}${MAIN[n.type]?.shape === "db" ? `[(${text})]` : `[${text}]`}`;
    };
    const regions = [...group(nodes, (n) => n.region)].sort(([a], [b]) =>
        a === home ? -1 : b === home ? 1 : a === ON_PREM ? 1 : b === ON_PREM ? -1 : a.localeCompare(b),
    );
    for (const [region, inRegion] of regions) {
        lines.push(
            `    subgraph sg${sg++}["${mermaidText(region === ON_PREM ? "on-prem site" : region === home ? `AWS ${region} (stack ${stack})` : `AWS ${region}`)}"]`,
        );
        for (const [tierName, inTier] of group(inRegion, (n) => n.tier)) {
            lines.push(`        subgraph sg${sg++}["${mermaidText(tierName)}"]`);
            for (const [az, inAz] of group(inTier, (n) => n.az)) {
                if (az === null) {
                    for (const n of inAz) lines.push(decl(n, "            "));
                    continue;
                }
                lines.push(`            subgraph sg${sg++}["${mermaidText(az)}"]`);
                for (const n of inAz) lines.push(decl(n, "                "));
                lines.push("            end");
            }
            lines.push("        end");
        }
        lines.push("    end");
    }
    for (const e of edges) lines.push(`    ${e.from.id} ${e.dashed ? "-.->" : "-->"}|"${mermaidText(e.label)}"| ${e.to.id}`);
    return lines.join("\n");
}
