/**
 * The mutation table: single-fault misconfigurations of the real stacks' plans, each edited
 * as the engine would see the changed program (in preview, a reference to another
 * resource is unknown and only its propertyDependencies say what it points to), each with
 * the policy that must reject it. Append rows for new tiers (data, app, dr) here.
 */
import { Plan, PlannedResource } from "../../tools/offline";
import { UNKNOWN } from "../../tools/mocks";

export type Mode = "update" | "preview";
export type StackName = "prod" | "dr";

/** Edits one plan copy; `mode` tells how references look. */
export class Mutator {
    constructor(
        readonly plan: Plan,
        readonly mode: Mode,
    ) {}

    /** The one resource of a type and name (throws otherwise: a stale row must fail loudly). */
    get(type: string, name: string): PlannedResource {
        const found = this.plan.resources.filter((r) => r.type === type && r.name === name);
        if (found.length !== 1) throw new Error(`mutation target ${type} ${name}: found ${found.length}`);
        return found[0];
    }

    set(r: PlannedResource, key: string, value: unknown): void {
        r.props[key] = value;
        r.propertyDependencies[key] ??= [];
    }

    unset(r: PlannedResource, key: string): void {
        delete r.props[key];
        delete r.propertyDependencies[key];
    }

    /** What a prop holding `target.<output>` looks like: its value in an update, unknown in preview. */
    private valueOf(target: PlannedResource, output: "id" | "arn"): unknown {
        if (this.mode === "preview") return UNKNOWN;
        return output === "id" ? target.id : target.props.arn;
    }

    /** Points a reference prop at another resource (value and propertyDependencies, as the SDK registers it). */
    wire(r: PlannedResource, key: string, target: PlannedResource, output: "id" | "arn" = "id"): void {
        r.props[key] = this.valueOf(target, output);
        r.propertyDependencies[key] = [target.urn];
        this.recomputeDependencies(r);
    }

    private recomputeDependencies(r: PlannedResource) {
        r.dependencies = [...new Set(Object.values(r.propertyDependencies).flat())];
    }

    /** Adds a resource next to `sibling` (same parent and provider) with literal props and references. */
    add(type: string, name: string, sibling: PlannedResource, props: Record<string, unknown>, refs: Record<string, PlannedResource> = {}): PlannedResource {
        // urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>, beside the sibling.
        const [prefix, project, qualified] = sibling.urn.split("::");
        const urn = [prefix, project, [...qualified.split("$").slice(0, -1), type].join("$"), name].join("::");
        const r: PlannedResource = {
            urn,
            type,
            name,
            id: this.mode === "preview" ? null : `${type.split(":").pop()!.toLowerCase()}-mutant-${name}`,
            parent: sibling.parent,
            custom: true,
            provider: sibling.provider,
            protect: false,
            props: { ...props, arn: this.mode === "preview" ? UNKNOWN : `arn:aws:mutant:${name}` },
            dependencies: [],
            propertyDependencies: Object.fromEntries(Object.keys(props).map((k) => [k, []])),
        };
        for (const [key, target] of Object.entries(refs)) this.wire(r, key, target);
        this.plan.resources.push(r);
        return r;
    }

    remove(r: PlannedResource): void {
        this.plan.resources = this.plan.resources.filter((x) => x !== r);
    }
}

export interface Mutation {
    /** Short id, e.g. "isolated-route-to-igw". */
    readonly id: string;
    /** The misconfiguration in words. */
    readonly fault: string;
    /** The policy that must reject it (others may too). */
    readonly policy: string;
    /** Stacks whose graph has the target resources. */
    readonly stacks: readonly StackName[];
    readonly apply: (m: Mutator) => void;
}

const T = {
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    subnet: "aws:ec2/subnet:Subnet",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    rtAssoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    defaultNacl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    vpn: "aws:ec2/vpnConnection:VpnConnection",
    eks: "eks:index:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    waf: "aws:wafv2/webAcl:WebAcl",
    wafAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    ecr: "aws:ecr/repository:Repository",
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    topic: "aws:sns/topic:Topic",
    trail: "aws:cloudtrail/trail:Trail",
    searchDomain: "aws:opensearch/domain:Domain",
    rds: "aws:rds/instance:Instance",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

const BOTH: StackName[] = ["prod", "dr"];

/** The region prefix of a plan's AZs, e.g. "eu-west-2". */
const regionOf = (m: Mutator) => String(m.get(T.subnet, "network-private-a").props.availabilityZone).slice(0, -1);

export const MUTATIONS: Mutation[] = [
    // ------------------------------------------------------------------ KMS
    {
        id: "kms-rotation-off",
        fault: "flow-log key without rotation",
        policy: "kms-key-rotation",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.key, "network-flow-logs"), "enableKeyRotation", false),
    },
    {
        id: "kms-short-deletion-window",
        fault: "flow-log key deletable after 7 days",
        policy: "kms-key-rotation",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.key, "network-flow-logs"), "deletionWindowInDays", 7),
    },
    {
        id: "kms-open-key-policy",
        fault: "flow-log key policy grants Principal *",
        policy: "kms-key-policy-scoped",
        stacks: BOTH,
        apply: (m) =>
            m.set(
                m.get(T.key, "network-flow-logs"),
                "policy",
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }] }),
            ),
    },
    // ------------------------------------------------------------------ log groups and flow logs
    {
        id: "flow-log-group-unencrypted",
        fault: "flow-log group without CMK",
        policy: "log-group-encrypted",
        stacks: BOTH,
        apply: (m) => m.unset(m.get(T.logGroup, "network-flow-logs"), "kmsKeyId"),
    },
    {
        id: "vpn-log-group-unencrypted",
        fault: "VPN tunnel log group without CMK",
        policy: "log-group-encrypted",
        stacks: BOTH,
        apply: (m) => m.unset(m.get(T.logGroup, "network-vpn-tunnels"), "kmsKeyId"),
    },
    {
        id: "flow-log-retention-30",
        fault: "flow logs kept 30 days",
        policy: "log-retention",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.logGroup, "network-flow-logs"), "retentionInDays", 30),
    },
    {
        id: "vpn-log-retention-forever",
        fault: "VPN log group without retention",
        policy: "log-retention",
        stacks: BOTH,
        apply: (m) => m.unset(m.get(T.logGroup, "network-vpn-tunnels"), "retentionInDays"),
    },
    { id: "flow-log-removed", fault: "VPC without flow log", policy: "vpc-flow-logs", stacks: BOTH, apply: (m) => m.remove(m.get(T.flowLog, "network")) },
    {
        id: "flow-log-reject-only",
        fault: "flow log captures REJECT only",
        policy: "vpc-flow-logs",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.flowLog, "network"), "trafficType", "REJECT"),
    },
    // ------------------------------------------------------------------ subnets and routing
    {
        id: "isolated-subnet-public-ip",
        fault: "isolated subnet maps public IPs",
        policy: "data-subnets-isolated",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.subnet, "network-isolated-a"), "mapPublicIpOnLaunch", true),
    },
    {
        id: "public-subnet-public-ip",
        fault: "public subnet maps public IPs",
        policy: "subnets-no-public-ip-on-launch",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.subnet, "network-public-b"), "mapPublicIpOnLaunch", true),
    },
    {
        id: "isolated-route-to-igw",
        fault: "isolated route table gets a default route to the internet gateway",
        policy: "data-subnets-isolated",
        stacks: BOTH,
        apply: (m) =>
            m.add(
                T.route,
                "network-isolated-a-internet",
                m.get(T.route, "network-public-a-internet"),
                { destinationCidrBlock: "0.0.0.0/0" },
                {
                    routeTableId: m.get(T.routeTable, "network-isolated-a"),
                    gatewayId: m.get(T.igw, "network"),
                },
            ),
    },
    {
        id: "isolated-route-to-nat",
        fault: "isolated route table egresses through a NAT gateway",
        policy: "data-subnets-isolated",
        stacks: BOTH,
        apply: (m) =>
            m.add(
                T.route,
                "network-isolated-c-egress",
                m.get(T.route, "network-private-c-egress"),
                { destinationCidrBlock: "0.0.0.0/0" },
                {
                    routeTableId: m.get(T.routeTable, "network-isolated-c"),
                    natGatewayId: m.get(T.nat, "network-nat-c"),
                },
            ),
    },
    {
        id: "isolated-subnet-on-public-route-table",
        fault: "isolated subnet associated with the public route table",
        policy: "data-subnets-isolated",
        stacks: BOTH,
        apply: (m) => m.wire(m.get(T.rtAssoc, "network-isolated-b"), "routeTableId", m.get(T.routeTable, "network-public-b")),
    },
    {
        id: "isolated-subnet-without-route-table",
        fault: "isolated subnet falls back to the VPC main route table",
        policy: "data-subnets-isolated",
        stacks: BOTH,
        apply: (m) => m.remove(m.get(T.rtAssoc, "network-isolated-c")),
    },
    {
        id: "private-route-to-igw",
        fault: "private default route to the internet gateway instead of NAT",
        policy: "private-tier-no-internet-route",
        stacks: BOTH,
        apply: (m) => {
            const route = m.get(T.route, "network-private-a-egress");
            m.unset(route, "natGatewayId");
            m.wire(route, "gatewayId", m.get(T.igw, "network"));
        },
    },
    {
        id: "single-nat-gateway",
        fault: "one NAT gateway for all AZs (network.singleNatGateway)",
        policy: "nat-gateway-per-az",
        stacks: BOTH,
        apply: (m) => {
            const natA = m.get(T.nat, "network-nat-a");
            for (const az of ["b", "c"]) {
                m.wire(m.get(T.route, `network-private-${az}-egress`), "natGatewayId", natA);
                m.remove(m.get(T.nat, `network-nat-${az}`));
                m.remove(m.get(T.eip, `network-nat-${az}`));
            }
        },
    },
    {
        id: "cross-az-nat",
        fault: "private subnet b egresses through NAT gateway c",
        policy: "nat-gateway-per-az",
        stacks: BOTH,
        apply: (m) => m.wire(m.get(T.route, "network-private-b-egress"), "natGatewayId", m.get(T.nat, "network-nat-c")),
    },
    {
        id: "private-tier-two-azs",
        fault: "private subnet c placed in AZ a",
        policy: "tier-subnets-span-azs",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.subnet, "network-private-c"), "availabilityZone", `${regionOf(m)}a`),
    },
    {
        id: "isolated-tier-two-azs",
        fault: "isolated subnet c placed in AZ b",
        policy: "tier-subnets-span-azs",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.subnet, "network-isolated-c"), "availabilityZone", `${regionOf(m)}b`),
    },
    // ------------------------------------------------------------------ NACLs and security groups
    {
        id: "isolated-nacl-world",
        fault: "isolated NACL admits 0.0.0.0/0 on 5432",
        policy: "isolated-nacl-not-allow-all",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.naclRule, "network-isolated-in-100"), "cidrBlock", "0.0.0.0/0"),
    },
    {
        id: "isolated-nacl-all-protocols",
        fault: "isolated NACL rule for all protocols",
        policy: "isolated-nacl-not-allow-all",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.naclRule, "network-isolated-out-130"), "protocol", "-1"),
    },
    {
        id: "endpoint-sg-world-https",
        fault: "endpoint security group admits 0.0.0.0/0",
        policy: "no-world-ingress",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.sgIngress, "network-endpoints-https"), "cidrIpv4", "0.0.0.0/0"),
    },
    {
        id: "endpoint-sg-world-ipv6",
        fault: "endpoint security group admits ::/0",
        policy: "no-world-ingress",
        stacks: BOTH,
        apply: (m) => {
            const rule = m.get(T.sgIngress, "network-endpoints-https");
            m.unset(rule, "cidrIpv4");
            m.set(rule, "cidrIpv6", "::/0");
        },
    },
    {
        id: "endpoint-sg-inline-ssh",
        fault: "endpoint security group gets an inline SSH rule from anywhere",
        policy: "no-world-ingress",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.sg, "network-endpoints"), "ingress", [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
    },
    {
        id: "default-sg-allows-members",
        fault: "default security group lets its members talk",
        policy: "default-sg-and-nacl-deny-all",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.defaultSg, "network-default"), "ingress", [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
    },
    {
        id: "default-nacl-allow-all",
        fault: "default NACL allows all inbound",
        policy: "default-sg-and-nacl-deny-all",
        stacks: BOTH,
        apply: (m) =>
            m.set(m.get(T.defaultNacl, "network-default"), "ingress", [
                { ruleNo: 100, action: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0", fromPort: 0, toPort: 0 },
            ]),
    },
    // ------------------------------------------------------------------ IAM
    {
        id: "flow-log-role-open-trust",
        fault: "flow-log role trusts Principal *",
        policy: "iam-role-trust-scoped",
        stacks: BOTH,
        apply: (m) =>
            m.set(
                m.get(T.role, "network-flow-logs"),
                "assumeRolePolicy",
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }),
            ),
    },
    {
        id: "flow-log-role-admin",
        fault: "flow-log role policy allows * on *",
        policy: "iam-no-wildcard-admin",
        stacks: BOTH,
        apply: (m) =>
            m.set(
                m.get(T.rolePolicy, "network-flow-logs"),
                "policy",
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
            ),
    },
    {
        id: "flow-log-role-logs-star",
        fault: "flow-log role policy allows logs:* on every resource",
        policy: "iam-no-wildcard-admin",
        stacks: BOTH,
        apply: (m) =>
            m.set(
                m.get(T.rolePolicy, "network-flow-logs"),
                "policy",
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:*"], Resource: "*" }] }),
            ),
    },
    // ------------------------------------------------------------------ VPN
    {
        id: "vpn-ikev1",
        fault: "tunnel 1 accepts IKEv1",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.vpn, "network-on-prem"), "tunnel1IkeVersions", ["ikev1", "ikev2"]),
    },
    {
        id: "vpn-dh-group-2",
        fault: "tunnel 2 phase 1 allows DH group 2",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.vpn, "network-on-prem"), "tunnel2Phase1DhGroupNumbers", [2, 20]),
    },
    {
        id: "vpn-aes128",
        fault: "tunnel 2 phase 2 allows AES128",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.vpn, "network-on-prem"), "tunnel2Phase2EncryptionAlgorithms", ["AES128", "AES256-GCM-16"]),
    },
    {
        id: "vpn-sha1",
        fault: "tunnel 1 phase 1 allows SHA1",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.vpn, "network-on-prem"), "tunnel1Phase1IntegrityAlgorithms", ["SHA1"]),
    },
    {
        id: "vpn-defaults",
        fault: "tunnel 1 falls back to AWS default ciphers",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => m.unset(m.get(T.vpn, "network-on-prem"), "tunnel1Phase2EncryptionAlgorithms"),
    },
    {
        id: "vpn-logs-off",
        fault: "tunnel 2 logging disabled",
        policy: "vpn-strong-crypto",
        stacks: BOTH,
        apply: (m) => {
            const vpn = m.get(T.vpn, "network-on-prem");
            m.set(vpn, "tunnel2LogOptions", { cloudwatchLogOptions: { logEnabled: false } });
        },
    },
    // ------------------------------------------------------------------ compute: EKS and nodes
    {
        id: "eks-secrets-plaintext",
        fault: "EKS cluster without secrets envelope encryption",
        policy: "eks-secrets-encrypted",
        stacks: BOTH,
        apply: (m) => m.unset(m.get(T.eks, "app-eks"), "encryptionConfigKeyArn"),
    },
    {
        id: "eks-audit-logs-off",
        fault: "EKS control plane without audit logs",
        policy: "eks-control-plane-logs",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.eks, "app-eks"), "enabledClusterLogTypes", ["api", "authenticator"]),
    },
    {
        id: "eks-api-world",
        fault: "EKS API public to 0.0.0.0/0",
        policy: "eks-api-not-public",
        stacks: BOTH,
        apply: (m) => {
            const eks = m.get(T.eks, "app-eks");
            m.set(eks, "endpointPublicAccess", true);
            m.set(eks, "publicAccessCidrs", ["0.0.0.0/0"]);
        },
    },
    {
        id: "launch-template-plain-ebs",
        fault: "node root volume not encrypted",
        policy: "ebs-encrypted-with-cmk",
        stacks: BOTH,
        apply: (m) => {
            const lt = m.get(T.launchTemplate, "app-nodes");
            const [mapping] = lt.props.blockDeviceMappings as Array<{ ebs: Record<string, unknown> }>;
            m.set(lt, "blockDeviceMappings", [{ ...mapping, ebs: { ...mapping.ebs, encrypted: "false", kmsKeyId: undefined } }]);
        },
    },
    {
        id: "node-groups-two-azs",
        fault: "the third AZ's node group moved into the first AZ's subnet",
        policy: "node-groups-span-azs",
        stacks: BOTH,
        apply: (m) => {
            const az1 = m.get(T.nodeGroup, "app-nodes-az1");
            const az3 = m.get(T.nodeGroup, "app-nodes-az3");
            m.set(az3, "subnetIds", az1.props.subnetIds);
            az3.propertyDependencies.subnetIds = [...(az1.propertyDependencies.subnetIds ?? [])];
            az3.dependencies = [...new Set(Object.values(az3.propertyDependencies).flat())];
        },
    },
    // ------------------------------------------------------------------ edge: ALB and WAF
    {
        id: "listener-tls12",
        fault: "HTTPS listener on a TLS 1.2 policy",
        policy: "alb-listener-tls13",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.listener, "app-https"), "sslPolicy", "ELBSecurityPolicy-2016-08"),
    },
    {
        id: "listener-plain-http",
        fault: "port 80 forwards instead of redirecting",
        policy: "alb-listener-tls13",
        stacks: BOTH,
        apply: (m) => {
            const http = m.get(T.listener, "app-http-redirect");
            const https = m.get(T.listener, "app-https");
            m.set(http, "defaultActions", https.props.defaultActions);
        },
    },
    {
        id: "alb-no-access-logs",
        fault: "ALB access logs off",
        policy: "alb-access-logs",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.alb, "app-alb"), "accessLogs", { bucket: "", enabled: false }),
    },
    {
        id: "alb-deletable",
        fault: "production ALB without deletion protection",
        policy: "deletion-protection-in-production",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.alb, "app-alb"), "enableDeletionProtection", false),
    },
    {
        id: "alb-without-waf",
        fault: "the WAF association removed",
        policy: "waf-on-internet-facing",
        stacks: BOTH,
        apply: (m) => m.remove(m.get(T.wafAssociation, "app-waf")),
    },
    {
        id: "waf-without-sqli",
        fault: "the SQL injection rule group dropped from the web ACL",
        policy: "waf-managed-rules",
        stacks: BOTH,
        apply: (m) => {
            const acl = m.get(T.waf, "app-waf");
            const rules = acl.props.rules as Array<{ name: string }>;
            m.set(
                acl,
                "rules",
                rules.filter((r) => !/SQLi/i.test(r.name)),
            );
        },
    },
    // ------------------------------------------------------------------ supply chain
    {
        id: "ecr-mutable-tags",
        fault: "ECR repository with mutable tags",
        policy: "ecr-scan-immutable-kms",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.ecr, "app-django-web"), "imageTagMutability", "MUTABLE"),
    },
    {
        id: "ecr-no-scan",
        fault: "ECR repository without scan on push",
        policy: "ecr-scan-immutable-kms",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.ecr, "app-fastapi-api"), "imageScanningConfiguration", { scanOnPush: false }),
    },
    // ------------------------------------------------------------------ database credentials
    {
        id: "db-password-literal",
        fault: "the write-only master password typed into the program instead of generated",
        policy: "no-plaintext-passwords",
        stacks: ["prod"],
        apply: (m) => {
            const db = m.get(T.rds, "data-postgres");
            m.set(db, "passwordWo", "Summer2026!");
            db.propertyDependencies.passwordWo = [];
        },
    },
    {
        id: "db-password-in-state",
        fault: "the master password passed as `password` (kept in the state)",
        policy: "no-plaintext-passwords",
        stacks: ["prod"],
        apply: (m) => m.set(m.get(T.rds, "data-postgres"), "password", "Summer2026!"),
    },
    {
        id: "db-password-not-stored",
        fault: "the generated master password written to no secret",
        policy: "no-plaintext-passwords",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get(T.secretVersion, "data-postgres-master")),
    },
    {
        id: "db-secret-default-key",
        fault: "the master secret under aws/secretsmanager instead of the CMK",
        policy: "secret-encrypted-with-cmk",
        stacks: ["prod"],
        apply: (m) => m.unset(m.get(T.secret, "data-postgres-master"), "kmsKeyId"),
    },
    {
        id: "dr-promoted-without-credential",
        fault: "the DR database promoted without naming the secret of its inherited password",
        policy: "no-plaintext-passwords",
        stacks: ["dr"],
        apply: (m) => {
            const db = m.get(T.rds, "data-database");
            m.unset(db, "replicateSourceDb");
            m.unset(db, "tags");
        },
    },
    // ------------------------------------------------------------------ Kubernetes workloads
    ...workloadMutations(),
    // ------------------------------------------------------------------ observability and audit
    {
        id: "alert-topic-plaintext",
        fault: "alert topic without a CMK",
        policy: "sns-topic-encrypted",
        stacks: ["prod"],
        apply: (m) => m.unset(m.get(T.topic, "observability-alerts"), "kmsMasterKeyId"),
    },
    {
        id: "trail-single-region",
        fault: "CloudTrail recording one region only",
        policy: "cloudtrail-multi-region-validated",
        stacks: ["prod"],
        apply: (m) => m.set(m.get(T.trail, "audit"), "isMultiRegionTrail", false),
    },
    {
        id: "trail-no-validation",
        fault: "CloudTrail without log-file validation",
        policy: "cloudtrail-multi-region-validated",
        stacks: ["prod"],
        apply: (m) => m.set(m.get(T.trail, "audit"), "enableLogFileValidation", false),
    },
    {
        id: "trail-bucket-unversioned",
        fault: "audit bucket versioning suspended",
        policy: "s3-versioning",
        stacks: ["prod"],
        apply: (m) => m.set(m.get("aws:s3/bucketVersioning:BucketVersioning", "audit"), "versioningConfiguration", { status: "Suspended" }),
    },
    {
        id: "log-search-public",
        fault: "log search domain taken out of the VPC",
        policy: "data-stores-not-public",
        stacks: ["prod"],
        apply: (m) => m.unset(m.get(T.searchDomain, "observability-logs"), "vpcOptions"),
    },
    {
        id: "log-search-sg-world",
        fault: "log search security group admits 0.0.0.0/0 on 443",
        policy: "no-world-ingress",
        stacks: ["prod"],
        apply: (m) => m.set(m.get(T.sgIngress, "observability-logs-https-0"), "cidrIpv4", "0.0.0.0/0"),
    },
];

/** Single faults in the Deployments' pod specs (the django-web Deployment of prod). */
function workloadMutations(): Mutation[] {
    type Container = Record<string, unknown> & { securityContext?: Record<string, unknown>; resources?: Record<string, unknown> };
    const editContainer = (m: Mutator, edit: (c: Container) => void) => {
        const d = m.get(T.deployment, "app-workloads-django-web");
        const spec = structuredClone(d.props.spec) as { template: { spec: { containers: Container[] } } };
        edit(spec.template.spec.containers[0]);
        m.set(d, "spec", spec);
    };
    return [
        {
            id: "pod-runs-as-root",
            fault: "django-web may run as root",
            policy: "k8s-pod-hardening",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.securityContext = { ...c.securityContext, runAsNonRoot: false, runAsUser: 0 })),
        },
        {
            id: "pod-privileged",
            fault: "django-web privileged",
            policy: "k8s-pod-hardening",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.securityContext = { ...c.securityContext, privileged: true })),
        },
        {
            id: "pod-writable-root",
            fault: "django-web root filesystem writable",
            policy: "k8s-pod-hardening",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.securityContext = { ...c.securityContext, readOnlyRootFilesystem: false })),
        },
        {
            id: "pod-no-limits",
            fault: "django-web without resource limits",
            policy: "k8s-resources-and-probes",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.resources = { requests: c.resources?.requests })),
        },
        {
            id: "pod-no-readiness",
            fault: "django-web without a readiness probe",
            policy: "k8s-resources-and-probes",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => delete c.readinessProbe),
        },
        {
            id: "pod-secret-literal",
            fault: "a database password as a literal env value",
            policy: "k8s-no-secret-literals",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.env = [...((c.env as object[]) ?? []), { name: "DATABASE_PASSWORD", value: "hunter2-not-a-real-one" }])),
        },
        {
            id: "pod-public-image",
            fault: "django-web pulled from Docker Hub",
            policy: "images-from-project-ecr",
            stacks: BOTH,
            apply: (m) => editContainer(m, (c) => (c.image = "docker.io/library/python:3.12")),
        },
        {
            id: "deployment-single-replica",
            fault: "django-web's autoscaler allowed down to one replica, without declaring a singleton",
            policy: "prod-workload-availability",
            stacks: BOTH,
            apply: (m) => {
                // The HPA owns the replica count, so the fault is its minimum (the Deployment's own count is overridden).
                const hpa = m.get("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "app-workloads-django-web");
                m.set(hpa, "spec", { ...(hpa.props.spec as object), minReplicas: 1 });
                const d = m.get(T.deployment, "app-workloads-django-web");
                m.set(d, "spec", { ...(d.props.spec as object), replicas: 1 });
            },
        },
        {
            id: "deployment-no-pdb",
            fault: "django-web's PodDisruptionBudget removed",
            policy: "prod-workload-availability",
            stacks: BOTH,
            apply: (m) => m.remove(m.get(T.pdb, "app-workloads-django-web")),
        },
    ];
}

// issue #11: guard what the program already gets right (build 4): one single fault per secure setting
// that no policy caught before (found by mutating every security-relevant prop of the four plans).
{
    const LT = "aws:ec2/launchTemplate:LaunchTemplate";
    const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
    const CACHE_USER = "aws:elasticache/user:User";
    const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
    /** Edits a copy of one nested prop object (the plan's objects are shared with no one, but set() records the edit). */
    const editProp = (m: Mutator, type: string, name: string, key: string, edit: (v: Record<string, any>) => void) => {
        const r = m.get(type, name);
        const v = structuredClone(r.props[key]) as Record<string, any>;
        edit(v);
        m.set(r, key, v);
    };
    const database = (stack: StackName) => (stack === "prod" ? "data-postgres" : "data-database");
    const cache = (stack: StackName) => (stack === "prod" ? "data-redis" : "cache");
    const perStack = (id: string, fault: string, policy: string, apply: (m: Mutator, stack: StackName) => void): Mutation[] =>
        BOTH.map((stack) => ({ id: `${id}-${stack}`, fault, policy, stacks: [stack], apply: (m: Mutator) => apply(m, stack) }));
    MUTATIONS.push(
        {
            id: "nodes-imdsv1",
            fault: "node launch template allows IMDSv1 (httpTokens optional)",
            policy: "node-metadata-imdsv2",
            stacks: BOTH,
            apply: (m) => editProp(m, LT, "app-nodes", "metadataOptions", (o) => (o.httpTokens = "optional")),
        },
        {
            id: "nodes-imds-hop-limit-2",
            fault: "node launch template lets pods reach IMDS (hop limit 2)",
            policy: "node-metadata-imdsv2",
            stacks: BOTH,
            apply: (m) => editProp(m, LT, "app-nodes", "metadataOptions", (o) => (o.httpPutResponseHopLimit = 2)),
        },
        ...perStack("database-iam-auth-off", "database without IAM authentication", "database-iam-auth", (m, stack) =>
            m.set(m.get(T.rds, database(stack)), "iamDatabaseAuthenticationEnabled", false),
        ),
        ...perStack("redis-no-auth", "Redis without a user group (no authentication)", "redis-auth-required", (m, stack) =>
            m.unset(m.get(RG, cache(stack)), "userGroupIds"),
        ),
        ...perStack("redis-default-user-on", "Redis default user switched on", "redis-auth-required", (m, stack) =>
            m.set(m.get(CACHE_USER, `${cache(stack)}-default`), "accessString", "on ~* +@all"),
        ),
        {
            id: "opensearch-no-fgac",
            fault: "log domain without fine-grained access control",
            policy: "opensearch-fine-grained-access",
            stacks: ["prod"],
            apply: (m) => editProp(m, T.searchDomain, "observability-logs", "advancedSecurityOptions", (o) => (o.enabled = false)),
        },
        {
            id: "opensearch-node-to-node-plaintext",
            fault: "log domain without node-to-node encryption",
            policy: "opensearch-encrypted-and-tls",
            stacks: ["prod"],
            apply: (m) => m.set(m.get(T.searchDomain, "observability-logs"), "nodeToNodeEncryption", { enabled: false }),
        },
        {
            id: "opensearch-tls10",
            fault: "log domain endpoint admits TLS 1.0",
            policy: "opensearch-encrypted-and-tls",
            stacks: ["prod"],
            apply: (m) =>
                editProp(m, T.searchDomain, "observability-logs", "domainEndpointOptions", (o) => (o.tlsSecurityPolicy = "Policy-Min-TLS-1-0-2019-07")),
        },
        {
            id: "amp-aws-owned-key",
            fault: "Prometheus workspace without its CMK",
            policy: "monitoring-encrypted-with-cmk",
            stacks: ["prod"],
            apply: (m) => m.unset(m.get("aws:amp/workspace:Workspace", "observability-metrics"), "kmsKeyArn"),
        },
        {
            id: "xray-encryption-removed",
            fault: "X-Ray traces left on the default encryption",
            policy: "monitoring-encrypted-with-cmk",
            stacks: ["prod"],
            apply: (m) => m.remove(m.get("aws:xray/encryptionConfig:EncryptionConfig", "observability-traces")),
        },
        ...perStack("performance-insights-aws-key", "Performance Insights on the aws/rds key", "monitoring-encrypted-with-cmk", (m, stack) =>
            m.unset(m.get(T.rds, database(stack)), "performanceInsightsKmsKeyId"),
        ),
        {
            id: "alb-egress-world",
            fault: "ALB security group may send to 0.0.0.0/0",
            policy: "sg-egress-scoped",
            stacks: BOTH,
            apply: (m) => {
                const rule = m.get(SG_EGRESS, "app-alb-to-django-web");
                m.unset(rule, "referencedSecurityGroupId");
                m.set(rule, "cidrIpv4", "0.0.0.0/0");
            },
        },
        {
            id: "eks-nodes-public-ip",
            fault: "EKS nodes get public IP addresses",
            policy: "eks-nodes-no-public-ip",
            stacks: BOTH,
            apply: (m) => m.set(m.get(T.eks, "app-eks"), "nodeAssociatePublicIpAddress", true),
        },
        {
            id: "pod-capabilities-kept",
            fault: "django-web keeps its Linux capabilities",
            policy: "k8s-pod-restricted-profile",
            stacks: BOTH,
            apply: (m) =>
                editProp(m, T.deployment, "app-workloads-django-web", "spec", (s) => delete s.template.spec.containers[0].securityContext.capabilities),
        },
        {
            id: "pod-api-token-mounted",
            fault: "django-web mounts a Kubernetes API token",
            policy: "k8s-pod-restricted-profile",
            stacks: BOTH,
            apply: (m) => editProp(m, T.deployment, "app-workloads-django-web", "spec", (s) => (s.template.spec.automountServiceAccountToken = true)),
        },
        {
            id: "documents-acls-enabled",
            fault: "documents bucket with ACLs enabled (ObjectWriter)",
            policy: "s3-acls-disabled",
            stacks: BOTH,
            apply: (m) => editProp(m, OWNERSHIP, "data-documents", "rule", (r) => (r.objectOwnership = "ObjectWriter")),
        },
        {
            id: "eks-aws-auth-configmap",
            fault: "EKS accepts the aws-auth ConfigMap besides access entries",
            policy: "eks-access-entries-only",
            stacks: BOTH,
            apply: (m) => m.set(m.get(T.eks, "app-eks"), "authenticationMode", "API_AND_CONFIG_MAP"),
        },
        {
            id: "database-expired-ca",
            fault: "primary database on the expired rds-ca-2019",
            policy: "rds-ca-current",
            stacks: ["prod"],
            apply: (m) => m.set(m.get(T.rds, "data-postgres"), "caCertIdentifier", "rds-ca-2019"),
        },
        ...perStack("database-backups-deleted-with-it", "database deletes its automated backups when deleted", "rds-backups-retained", (m, stack) =>
            m.set(m.get(T.rds, database(stack)), "deleteAutomatedBackups", true),
        ),
        {
            id: "dr-replica-no-backups",
            fault: "DR replica without backups for after promotion",
            policy: "rds-backups-retained",
            stacks: ["dr"],
            apply: (m) => m.set(m.get(T.rds, "data-database"), "backupRetentionPeriod", 0),
        },
        ...perStack("cache-secret-deleted-at-once", "Redis AUTH secret deletable without recovery window", "secret-recovery-window", (m, stack) =>
            m.set(m.get(T.secret, `${cache(stack)}-auth`), "recoveryWindowInDays", 0),
        ),
        {
            id: "namespace-default-deny-removed",
            fault: "citizen-portal namespace without its default-deny NetworkPolicy",
            policy: "k8s-namespace-isolation",
            stacks: BOTH,
            apply: (m) => m.remove(m.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-workloads-default-deny")),
        },
        {
            id: "namespace-pod-security-baseline",
            fault: "citizen-portal namespace enforces only the baseline Pod Security Standard",
            policy: "k8s-namespace-isolation",
            stacks: BOTH,
            apply: (m) =>
                editProp(
                    m,
                    "kubernetes:core/v1:Namespace",
                    "app-workloads-ns",
                    "metadata",
                    (md) => (md.labels["pod-security.kubernetes.io/enforce"] = "baseline"),
                ),
        },
        {
            id: "csi-secrets-synced-to-etcd",
            fault: "Secrets Store CSI driver syncs secrets into Kubernetes Secrets",
            policy: "secrets-store-no-k8s-secret-sync",
            stacks: BOTH,
            apply: (m) => editProp(m, "kubernetes:helm.sh/v3:Release", "app-secrets-store-csi-driver", "values", (v) => (v.syncSecret = { enabled: true })),
        },
    );
}
