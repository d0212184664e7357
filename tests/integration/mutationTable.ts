/**
 * The mutation table: single-fault misconfigurations of the real stacks' plans, each edited
 * as the engine would see the changed program (in preview, a reference to another
 * resource is unknown and only its propertyDependencies say what it points to), each with
 * the policy that must reject it. Append rows for new tiers (data, app, dr) here.
 */
import { Plan, PlannedResource } from "../../tools/offline";
import { UNKNOWN } from "../../tools/mocks";

export type Mode = "update" | "preview";
export type StackName = "prod" | "dr" | "bootstrap";

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

/** Edits the condition of a GitHub-trusted role's single trust statement (the bootstrap stack's delivery roles). */
function editTrust(m: Mutator, roleName: string, edit: (condition: Record<string, Record<string, unknown>>) => void): void {
    const role = m.get(T.role, roleName);
    const doc = JSON.parse(String(role.props.assumeRolePolicy));
    edit(doc.Statement[0].Condition);
    m.set(role, "assumeRolePolicy", JSON.stringify(doc));
}

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
        // Intra-tier egress (model/network.ts numbers it 100 since the NACL comes from the declared flows).
        apply: (m) => m.set(m.get(T.naclRule, "network-isolated-out-100"), "protocol", "-1"),
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
        // The repositories are the account's (bootstrap stack) since issue #11.
        stacks: ["bootstrap"],
        apply: (m) => m.set(m.get(T.ecr, "account-django-web"), "imageTagMutability", "MUTABLE"),
    },
    {
        id: "ecr-no-scan",
        fault: "ECR repository without scan on push",
        policy: "ecr-scan-immutable-kms",
        stacks: ["bootstrap"],
        apply: (m) => m.set(m.get(T.ecr, "account-fastapi-api"), "imageScanningConfiguration", { scanOnPush: false }),
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
    // issue #11: key policies
    ...keyPolicyMutations(),
    // issue #11: deployability (AWS's other rules: support windows, tag specifications, names, SNS publishers)
    {
        id: "eks-version-past-standard-support",
        fault: "the cluster pinned back to Kubernetes 1.33 (standard support ended 2026-07-29)",
        policy: "versions-in-support-window",
        stacks: BOTH,
        apply: (m) => m.set(m.get(T.eks, "app-eks"), "version", "1.33"),
    },
    {
        id: "postgres-minor-deprecated",
        fault: "PostgreSQL 16.6, which RDS no longer creates since May 2026",
        policy: "versions-in-support-window",
        stacks: ["prod"],
        apply: (m) => m.set(m.get(T.rds, "data-postgres"), "engineVersion", "16.6"),
    },
    {
        id: "autoscaler-chart-wrong-minor",
        fault: "cluster-autoscaler chart 9.43.2 (Cluster Autoscaler 1.31) on the 1.35 cluster",
        policy: "versions-in-support-window",
        stacks: BOTH,
        apply: (m) => m.set(m.get("kubernetes:helm.sh/v3:Release", "app-cluster-autoscaler"), "version", "9.43.2"),
    },
    {
        id: "launch-template-empty-volume-tags",
        fault: "the node launch template's volume tag specification without tags",
        policy: "ec2-tag-specifications-not-empty",
        stacks: BOTH,
        apply: (m) => {
            const lt = m.get(T.launchTemplate, "app-nodes");
            const specs = structuredClone(lt.props.tagSpecifications) as { resourceType: string; tags?: object }[];
            for (const spec of specs) if (spec.resourceType === "volume") spec.tags = {};
            m.set(lt, "tagSpecifications", specs);
        },
    },
    {
        id: "target-group-name-too-long",
        fault: "django-web's target group named past ELB's 32 characters",
        policy: "physical-names-within-aws-limits",
        stacks: BOTH,
        apply: (m) => {
            const tg = m.get("aws:lb/targetGroup:TargetGroup", "app-django-web-stable");
            m.unset(tg, "namePrefix");
            m.set(tg, "name", "hybrid-platform-portal-django-web-stable");
        },
    },
    {
        id: "documents-bucket-without-account",
        fault: "the documents bucket named without the account id (a global name anyone may take)",
        policy: "global-names-carry-account-id",
        stacks: BOTH,
        apply: (m) => m.set(m.get("aws:s3/bucket:Bucket", "data-documents"), "bucket", "hybrid-platform-documents"),
    },
    {
        id: "amp-topic-policy-publish-only",
        fault: "the alert topic admits AMP's Alertmanager with sns:Publish but not sns:GetTopicAttributes",
        policy: "sns-publishers-admitted",
        stacks: ["prod"],
        apply: (m) =>
            m.set(
                m.get("aws:sns/topicPolicy:TopicPolicy", "observability-alerts"),
                "policy",
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: ["cloudwatch.amazonaws.com", "aps.amazonaws.com"] },
                            Action: "sns:Publish",
                            Resource: "*",
                            Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
                        },
                    ],
                }),
            ),
    },
    {
        id: "uptime-topic-without-policy",
        fault: "the uptime alarm's topic loses its topic policy",
        policy: "sns-publishers-admitted",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:sns/topicPolicy:TopicPolicy", "observability-uptime-alerts")),
    },
    {
        id: "grafana-role-cannot-publish",
        fault: "Grafana's SNS notifications without sns:Publish on its role",
        policy: "sns-publishers-admitted",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get(T.rolePolicy, "observability-grafana")),
    },
    // issue #11: network and monitoring flows
    {
        id: "alarm-math-unfilled",
        fault: "the ALB error-rate expression reads its 5XX counts without FILL (no 5XX datapoint: no value, never alarms)",
        policy: "alarm-math-fills-sparse-counts",
        stacks: ["prod"],
        apply: (m) => {
            const alarm = m.get("aws:cloudwatch/metricAlarm:MetricAlarm", "observability-request-errors");
            const queries = structuredClone(alarm.props.metricQueries) as Array<Record<string, unknown>>;
            queries[0].expression = String(queries[0].expression).replace(/FILL\((\w+), 0\)/g, "$1");
            m.set(alarm, "metricQueries", queries);
        },
    },
    {
        id: "uptime-check-on-tls13-listener",
        fault: "the uptime check probes the ALB's TLS 1.3-only listener on 443 (Route53's checkers cannot negotiate it)",
        policy: "route53-https-checks-reach-tls12",
        stacks: ["prod"],
        apply: (m) => m.set(m.get("aws:route53/healthCheck:HealthCheck", "observability-uptime"), "port", 443),
    },
    {
        id: "gslb-check-listener-tls13",
        fault: "the DR ALB's listener for Route53's checkers narrowed to TLS 1.3 only",
        policy: "route53-https-checks-reach-tls12",
        stacks: ["dr"],
        apply: (m) => m.set(m.get(T.listener, "app-health-checks"), "sslPolicy", "ELBSecurityPolicy-TLS13-1-3-2021-06"),
    },
    {
        id: "isolated-nacl-drops-log-search",
        fault: "the isolated NACL loses the rule admitting HTTPS to the log search domain from the first private subnet (finding 11)",
        policy: "data-tier-reachable-through-nacls",
        stacks: ["prod"],
        // Flow 3 of model/flows.ts (opensearch), client subnet 0.
        apply: (m) => m.remove(m.get(T.naclRule, "network-isolated-in-3000")),
    },
    {
        id: "isolated-nacl-no-reply",
        fault: "the isolated NACL loses the reply path to the first private subnet's ephemeral ports (the database and cache time out)",
        policy: "data-tier-reachable-through-nacls",
        stacks: BOTH,
        apply: (m) => m.remove(m.get(T.naclRule, "network-isolated-out-1000")),
    },
    // issue #11: security gaps (WAF, access logging, audit copy, DR replica logs)
    ...securityMutations(),
    // issue #11: service-linked roles come from the bootstrap stack, and what names them waits for it
    {
        id: "node-volume-key-before-slr",
        fault: "the node-volume key policy names the Auto Scaling service-linked role but no longer depends on the bootstrap stack that creates it",
        policy: "service-linked-roles-declared",
        stacks: BOTH,
        apply: (m) => {
            const key = m.get(T.key, "app-node-volumes");
            const refs = new Set(m.plan.resources.filter((r) => r.type === "pulumi:pulumi:StackReference").map((r) => r.urn));
            key.dependencies = key.dependencies.filter((u) => !refs.has(u));
            for (const k of Object.keys(key.propertyDependencies)) key.propertyDependencies[k] = key.propertyDependencies[k].filter((u) => !refs.has(u));
        },
    },
    // issue #11: bootstrap (images from the account's bootstrap repositories, by digest)
    {
        id: "pod-image-tag-only",
        fault: "django-web pinned by tag only (the digest dropped) in production",
        policy: "images-from-project-ecr",
        stacks: BOTH,
        apply: (m) => editImage(m, (image) => image.replace(/@sha256:[0-9a-f]{64}$/, ":1.0.0")),
    },
    {
        id: "pod-image-foreign-ecr",
        fault: "django-web pulled by digest from another account's ECR repository, not the bootstrap stack's",
        policy: "images-from-project-ecr",
        stacks: BOTH,
        apply: (m) =>
            editImage(m, (image) =>
                image.replace(/^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/[^@]+/, "444455556666.dkr.ecr.$1.amazonaws.com/someone/web"),
            ),
    },
    // issue #11: on-prem DNS (the MinIO provider's host resolves from the VPC: components/network/onPremDns.ts)
    {
        id: "on-prem-dns-rule-unassociated",
        fault: "the forwarding rule of the on-prem domain associated with no VPC (the MinIO provider fails on DNS)",
        policy: "on-prem-names-resolve",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:route53/resolverRuleAssociation:ResolverRuleAssociation", "network-on-prem-dns-0")),
    },
    {
        id: "on-prem-dns-rule-other-domain",
        fault: "the forwarding rule names another domain than the MinIO endpoint's",
        policy: "on-prem-names-resolve",
        stacks: ["prod"],
        apply: (m) => m.set(m.get("aws:route53/resolverRule:ResolverRule", "network-on-prem-dns-0"), "domainName", "dc2.citizen-portal.internal"),
    },
    {
        id: "on-prem-dns-nacl-udp-dropped",
        fault: "the private NACL loses UDP 53 out to the first on-prem DNS server (stateless: queries time out, then only TCP retries)",
        policy: "on-prem-names-resolve",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get(T.naclRule, "network-private-out-150")),
    },
    {
        id: "on-prem-dns-endpoint-sg-tcp-only",
        fault: "the Resolver endpoint's security group loses UDP 53 to the first on-prem DNS server",
        policy: "on-prem-names-resolve",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "network-on-prem-dns-udp-0")),
    },
    // issue #11: rotation functions (finding 20's Redis AUTH rotation; the pinned rotation app's Lambda runtime)
    ...(["prod", "dr"] as const).map((stack): Mutation => ({
        id: `cache-auth-never-rotated-${stack}`,
        fault: "the Redis AUTH secret loses its rotation schedule",
        policy: "credential-secrets-rotated",
        stacks: [stack],
        apply: (m) => m.remove(m.get("aws:secretsmanager/secretRotation:SecretRotation", stack === "prod" ? "data-redis-auth" : "cache-auth")),
    })),
    {
        id: "db-master-never-rotated",
        fault: "the database master secret loses its rotation schedule",
        policy: "credential-secrets-rotated",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:secretsmanager/secretRotation:SecretRotation", "data-postgres-master")),
    },
    {
        id: "cache-auth-rotated-yearly",
        fault: "the Redis AUTH password rotated once a year",
        policy: "credential-secrets-rotated",
        stacks: ["prod"],
        apply: (m) => m.set(m.get("aws:secretsmanager/secretRotation:SecretRotation", "data-redis-auth"), "rotationRules", { automaticallyAfterDays: 365 }),
    },
    {
        id: "db-rotation-app-python39",
        fault: "the PostgreSQL rotation app pinned back to 1.1.367, whose function runs on the deprecated python3.9",
        policy: "versions-in-support-window",
        stacks: ["prod"],
        apply: (m) => m.set(m.get("aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "data-postgres-rotation"), "semanticVersion", "1.1.367"),
    },
    {
        id: "cache-rotation-nodejs20",
        fault: "the cache rotation function on nodejs20.x (deprecated 2026-04-30)",
        policy: "versions-in-support-window",
        stacks: BOTH,
        apply: (m) => m.set(m.get("aws:lambda/function:Function", m.plan.stack === "prod" ? "data-redis-rotation" : "cache-rotation"), "runtime", "nodejs20.x"),
    },
    {
        id: "cache-rotation-open-egress",
        fault: "the cache rotation function may reach the whole internet",
        policy: "sg-egress-scoped",
        stacks: ["prod"],
        apply: (m) => {
            const rule = m.get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "data-redis-rotation-to-endpoints");
            m.unset(rule, "referencedSecurityGroupId");
            m.set(rule, "cidrIpv4", "0.0.0.0/0");
        },
    },
    // issue #11: one owner for the ACM validation record (finding 16)
    {
        id: "acm-validation-record-overwrite",
        fault: "the bootstrap's ACM validation record takes over an existing record (allowOverwrite)",
        policy: "acm-validation-record-single-owner",
        stacks: ["bootstrap"],
        apply: (m) => m.set(m.get("aws:route53/record:Record", "account-tls-validation"), "allowOverwrite", true),
    },
    {
        id: "acm-validation-record-in-app-stack",
        fault: "prod or dr creates its certificate's validation record again (its destroy would stop the other's renewal)",
        policy: "acm-validation-record-single-owner",
        stacks: ["prod", "dr"],
        apply: (m) => {
            const certificate = m.get("aws:acm/certificate:Certificate", "app-tls");
            m.add(
                "aws:route53/record:Record",
                "app-tls-validation",
                certificate,
                { zoneId: "Z0123456789ABCDEFGHIJ", type: "CNAME", ttl: 300 },
                { name: certificate, records: certificate },
            );
        },
    },
    // issue #12: mesh (STRICT mTLS, generated authorization) and HTTPS from the ALB to the pods
    {
        id: "mesh-namespace-not-ambient",
        fault: "citizen-portal namespace without the ambient label: its pods are not in the mesh",
        policy: "mesh-strict-mtls",
        stacks: BOTH,
        apply: (m) => {
            const ns = m.get("kubernetes:core/v1:Namespace", "app-workloads-ns");
            const metadata = JSON.parse(JSON.stringify(ns.props.metadata)) as Record<string, any>;
            delete metadata.labels["istio.io/dataplane-mode"];
            m.set(ns, "metadata", metadata);
        },
    },
    {
        id: "mesh-peer-authentication-permissive",
        fault: "the namespace-wide PeerAuthentication is PERMISSIVE (plaintext accepted)",
        policy: "mesh-strict-mtls",
        stacks: BOTH,
        apply: (m) => {
            const pa = m.get("kubernetes:security.istio.io/v1:PeerAuthentication", "app-workloads-mesh-peer-default");
            m.set(pa, "spec", { mtls: { mode: "PERMISSIVE" } });
        },
    },
    {
        id: "mesh-allow-nothing-removed",
        fault: "the allow-nothing AuthorizationPolicy is removed (celery-worker accepts every caller)",
        policy: "mesh-strict-mtls",
        stacks: BOTH,
        apply: (m) => m.remove(m.get("kubernetes:security.istio.io/v1:AuthorizationPolicy", "app-workloads-mesh-authz-allow-nothing")),
    },
    {
        id: "target-group-plain-http",
        fault: "django-web's target group forwards plain HTTP to the pods",
        policy: "alb-target-group-https",
        stacks: BOTH,
        apply: (m) => m.set(m.get("aws:lb/targetGroup:TargetGroup", "app-django-web-stable"), "protocol", "HTTP"),
    },
    // issue #12: reachability of the declared flows (policy/reachability.ts); tests/policy/reachability.test.ts checks each names its flow
    {
        id: "reach-sg-narrowed",
        fault: "the database's security group admits the data clients on 5433 instead of 5432",
        policy: "declared-flows-hold",
        stacks: ["prod"],
        apply: (m) => {
            const rule = m.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "data-postgres-from-clients");
            m.set(rule, "fromPort", 5433);
            m.set(rule, "toPort", 5433);
        },
    },
    {
        id: "reach-nacl-rule-dropped",
        fault: "the isolated NACL loses the rule admitting Redis from the first private subnet",
        policy: "declared-flows-hold",
        stacks: BOTH,
        // Flow 2 of DATA_TIER_FLOWS (redis), client subnet 0: model/network.ts isolatedTierRules.
        apply: (m) => m.remove(m.get("aws:ec2/networkAclRule:NetworkAclRule", "network-isolated-in-2000")),
    },
    {
        id: "reach-np-except",
        fault: "the pods' NetworkPolicy to the data tier gains an except that covers the first isolated subnet",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const np = m.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-workloads-allow-app-to-data");
            const spec = structuredClone(np.props.spec) as { egress: { to: { ipBlock: { cidr: string; except?: string[] } }[] }[] };
            spec.egress[0].to[0].ipBlock.except = [spec.egress[0].to[0].ipBlock.cidr];
            m.set(np, "spec", spec);
        },
    },
    {
        id: "reach-isolated-nat-route",
        fault: "the first isolated subnet's route table gains a default route to the NAT gateway of its AZ",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const sibling = m.get("aws:ec2/route:Route", "network-private-a-egress");
            m.add(
                "aws:ec2/route:Route",
                "network-isolated-a-egress",
                sibling,
                { destinationCidrBlock: "0.0.0.0/0" },
                {
                    natGatewayId: m.get("aws:ec2/natGateway:NatGateway", "network-nat-a"),
                    routeTableId: m.get("aws:ec2/routeTable:RouteTable", "network-isolated-a"),
                },
            );
        },
    },
    {
        id: "reach-old-isolated-nacl",
        fault: "the isolated NACL of before finding 11: no HTTPS in from the private tier (log shipping to OpenSearch times out)",
        policy: "declared-flows-hold",
        stacks: ["prod"],
        apply: (m) => {
            for (const r of m.plan.resources.filter((x) => x.type === "aws:ec2/networkAclRule:NetworkAclRule" && /^network-isolated-in-30\d0$/.test(x.name)))
                m.remove(r);
        },
    },
    {
        id: "reach-old-network-policy",
        fault: "the pods' AWS-API NetworkPolicy of before issue #11: 0.0.0.0/0 except 10.0.0.0/8 only, no endpoint blocks (IRSA breaks)",
        policy: "declared-flows-hold",
        stacks: ["prod"],
        apply: (m) => {
            const np = m.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-workloads-allow-app-to-aws-apis");
            const spec = structuredClone(np.props.spec) as { egress: { to: unknown[] }[] };
            spec.egress[0].to = spec.egress[0].to.slice(0, 1);
            m.set(np, "spec", spec);
        },
    },
    // issue #13: alarms on every tier
    {
        id: "alarms-database-cpu-dropped",
        fault: "the database without its CPU alarm (seed 6: CPU > 80% pages)",
        policy: "alarms-cover-every-tier",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:cloudwatch/metricAlarm:MetricAlarm", "observability-database-cpu")),
    },
    {
        id: "alarms-cache-node-unwatched",
        fault: "one node of dr's warm cache without its engine CPU alarm",
        policy: "alarms-cover-every-tier",
        stacks: ["dr"],
        apply: (m) => m.remove(m.get("aws:cloudwatch/metricAlarm:MetricAlarm", "alarms-cache-cpu-3")),
    },
    {
        id: "alarms-action-removed",
        fault: "the NAT port-allocation alarm with no action: it changes state and tells no one",
        policy: "alarms-cover-every-tier",
        stacks: BOTH,
        apply: (m) => {
            const alarm = m.plan.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && /-nat-port-allocation-0$/.test(r.name))!;
            m.set(alarm, "alarmActions", []);
        },
    },
    // issue #12: endpoint policies and the documents bucket's aws:SourceVpce (model/endpointPolicies.ts, policy/reachabilityIam.ts)
    {
        id: "endpoint-s3-no-ecr-layers",
        fault: "the S3 gateway endpoint's policy loses the AWS-owned buckets statement: image layers (prod-<region>-starport-layer-bucket) no longer download",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const ep = m.get("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3");
            const doc = JSON.parse(ep.props.policy as string) as { Statement: { Sid?: string }[] };
            m.set(ep, "policy", JSON.stringify({ ...doc, Statement: doc.Statement.filter((st) => st.Sid !== "AwsOwnedBucketsTheNodesRead") }));
        },
    },
    {
        id: "documents-source-vpce-other-endpoint",
        fault: "the documents bucket's (dr: the DR copy's) aws:SourceVpce names the STS interface endpoint instead of the S3 gateway endpoint: the portal is locked out of its documents",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const policy = m.get("aws:s3/bucketPolicy:BucketPolicy", "data-documents");
            const [gateway, other] = ["network-s3", "network-sts"].map((n) => m.get("aws:ec2/vpcEndpoint:VpcEndpoint", n));
            if (m.mode === "update") m.set(policy, "policy", String(policy.props.policy).split(String(gateway.id)).join(String(other.id)));
            policy.propertyDependencies.policy = policy.propertyDependencies.policy.map((u) => (u === gateway.urn ? other.urn : u));
            policy.dependencies = [...new Set(Object.values(policy.propertyDependencies).flat())];
        },
    },
    {
        id: "endpoint-policy-any-principal",
        fault: "the KMS endpoint's policy admits Principal * with no account condition (AWS's default, written out)",
        policy: "vpc-endpoint-policy-scoped",
        stacks: BOTH,
        apply: (m) =>
            m.set(
                m.get("aws:ec2/vpcEndpoint:VpcEndpoint", "network-kms"),
                "policy",
                JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }),
            ),
    },
    // issue #12: mesh from the flow model (model/reachabilityMesh.ts); tests/policy/reachability.test.ts checks each names its flow and the mesh layer
    {
        id: "mesh-django-to-api-allow-dropped",
        fault: "fastapi-api's AuthorizationPolicy loses its rule for django-web's identity (server-side rendering breaks at run time)",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const authz = m.get("kubernetes:security.istio.io/v1:AuthorizationPolicy", "app-workloads-mesh-authz-allow-to-fastapi-api");
            const spec = structuredClone(authz.props.spec) as { rules: { from: { source: { principals?: string[] } }[] }[] };
            spec.rules = spec.rules.filter((r) => !r.from.some((f) => f.source.principals !== undefined));
            m.set(authz, "spec", spec);
        },
    },
    {
        id: "mesh-hbone-ingress-dropped",
        fault: "fastapi-api loses the NetworkPolicy admitting HBONE (15008) from django-web: the ambient tunnel is cut on the host",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => m.remove(m.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "app-workloads-allow-mesh-django-web-to-fastapi-api")),
    },
    {
        id: "mesh-any-principal-to-celery-worker",
        fault: "an ALLOW policy admits any mesh identity into celery-worker (the mesh must refuse the call by itself, seed 4.3)",
        policy: "declared-flows-hold",
        stacks: BOTH,
        apply: (m) => {
            const AUTHZ = "kubernetes:security.istio.io/v1:AuthorizationPolicy";
            const sibling = m.get(AUTHZ, "app-workloads-mesh-authz-allow-to-fastapi-api");
            const metadata = { ...(sibling.props.metadata as Record<string, unknown>), name: "allow-to-celery-worker" };
            const spec = { selector: { matchLabels: { app: "celery-worker" } }, action: "ALLOW", rules: [{ from: [{ source: { principals: ["*"] } }] }] };
            const r = m.add(AUTHZ, "app-workloads-mesh-authz-allow-to-celery-worker", sibling, {
                apiVersion: "security.istio.io/v1",
                kind: "AuthorizationPolicy",
                metadata,
                spec,
            });
            // The namespace joins as the sibling's does (its output: unknown in preview).
            r.propertyDependencies.metadata = [...(sibling.propertyDependencies.metadata ?? [])];
            r.dependencies = [...sibling.dependencies];
        },
    },
    // issue #13: Prometheus rules and Alertmanager (what AMP validates on upload)
    {
        id: "amp-rules-recording-rule-with-for",
        fault: "a recording rule of the AMP namespace carries a `for` (the rules file fails to load)",
        policy: "amp-definitions-accepted",
        stacks: ["prod"],
        apply: (m) => {
            const rules = m.get("aws:amp/ruleGroupNamespace:RuleGroupNamespace", "observability-slo-rules");
            m.set(rules, "data", String(rules.props.data).replace(/(- record: [^\n]+\n(\s+)expr: [^\n]+\n)/, "$1$2for: 5m\n"));
        },
    },
    {
        id: "amp-alertmanager-webhook-receiver",
        fault: "AMP's Alertmanager routes pages to a webhook receiver (AMP supports only SNS)",
        policy: "amp-definitions-accepted",
        stacks: ["prod"],
        apply: (m) =>
            m.set(
                m.get("aws:amp/alertManagerDefinition:AlertManagerDefinition", "observability-alertmanager"),
                "definition",
                "alertmanager_config: |\n  route:\n    receiver: pager\n  receivers:\n    - name: pager\n      webhook_configs:\n        - url: https://events.pagerduty.com/integration/x/enqueue\n",
            ),
    },
    // issue #13: log shipping
    ...(["prod", "dr"] as const).map((stack): Mutation => ({
        id: `log-shipper-removed-${stack}`,
        fault: "the EKS cluster runs the portal without its Fluent Bit release (no logs leave the nodes)",
        policy: "log-shipper-present",
        stacks: [stack],
        apply: (m) => m.remove(m.get("kubernetes:helm.sh/v3:Release", stack === "prod" ? "observability-shipping-eks-fluent-bit" : "logs-eks-fluent-bit")),
    })),
    {
        id: "shipper-network-policy-endpoints-only",
        fault: "the logging namespace's HTTPS allow-list names the interface endpoints' blocks only: Fluent Bit cannot reach OpenSearch",
        policy: "declared-flows-hold",
        stacks: ["prod"],
        apply: (m) => {
            const np = m.get("kubernetes:networking.k8s.io/v1:NetworkPolicy", "observability-shipping-eks-logging-allow-shipper-https");
            const spec = structuredClone(np.props.spec) as { egress: { to: { ipBlock: { cidr: string } }[] }[] };
            // The endpoints' blocks are the /28s (model/endpointAddresses.ts); the subnets' blocks go.
            spec.egress[0].to = spec.egress[0].to.filter((peer) => peer.ipBlock.cidr.endsWith("/28"));
            m.set(np, "spec", spec);
        },
    },
    // issue #13: metrics and trace collection
    {
        id: "collector-removed",
        fault: "the EKS cluster without its OpenTelemetry collector: the workspace's alert rules evaluate against nothing",
        policy: "metrics-collection-present",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("kubernetes:helm.sh/v3:Release", "telemetry-eks-otel-collector")),
    },
    {
        id: "collector-traces-not-exported",
        fault: "the collector's traces pipeline exports nowhere near X-Ray",
        policy: "metrics-collection-present",
        stacks: ["prod"],
        apply: (m) => {
            const release = m.get("kubernetes:helm.sh/v3:Release", "telemetry-eks-otel-collector");
            const values = structuredClone(release.props.values) as Record<string, any>;
            // In preview the config embeds the workspace's unknown endpoint: the fault is then a whole config without X-Ray.
            if (values.config?.service) values.config.service.pipelines.traces.exporters = ["debug"];
            else values.config = { service: { pipelines: { metrics: { exporters: ["prometheusremotewrite"] }, traces: { exporters: ["debug"] } } } };
            m.set(release, "values", values);
        },
    },
    // issue #12: the PostgreSQL rotation function, found through its SAR app's parameters
    {
        id: "reach-rotation-egress-dropped",
        fault: "the rotation function's security group loses its egress to the database: every rotation fails at ALTER USER",
        policy: "declared-flows-hold",
        stacks: ["prod"],
        apply: (m) => m.remove(m.get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "data-postgres-rotation-to-database")),
    },
];

/** Rewrites the image of django-web's first container (a known value: the bootstrap repositories are read at preview too). */
function editImage(m: Mutator, edit: (image: string) => string): void {
    const d = m.get(T.deployment, "app-workloads-django-web");
    const spec = structuredClone(d.props.spec) as { template: { spec: { containers: { image: string }[] } } };
    const container = spec.template.spec.containers[0];
    if (typeof container.image !== "string") throw new Error(`django-web's image is not known: ${String(container.image)}`);
    container.image = edit(container.image);
    m.set(d, "spec", spec);
}

/** Issue #11 security rows: each setting the security round added, regressed alone. */
function securityMutations(): Mutation[] {
    const BUCKET_LOGGING = "aws:s3/bucketLogging:BucketLogging";
    const BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const wafRules = (m: Mutator) => m.get(T.waf, "app-waf").props.rules as Record<string, any>[];
    return [
        {
            id: "waf-uploads-blocked",
            fault: "SizeRestrictions_BODY no longer counted: every upload over 8 KB blocked",
            policy: "waf-body-size-exception",
            stacks: BOTH,
            apply: (m) => {
                const rules = structuredClone(wafRules(m));
                for (const r of rules) delete r.statement.managedRuleGroupStatement?.ruleActionOverrides;
                m.set(m.get(T.waf, "app-waf"), "rules", rules);
            },
        },
        {
            id: "waf-large-bodies-unchecked",
            fault: "the label rule after the Common group removed: bodies over 8 KB pass uninspected on every path",
            policy: "waf-body-size-exception",
            stacks: BOTH,
            apply: (m) =>
                m.set(
                    m.get(T.waf, "app-waf"),
                    "rules",
                    wafRules(m).filter((r) => r.name !== "body-over-8kb-outside-uploads"),
                ),
        },
        {
            id: "audit-bucket-unlogged",
            fault: "the CloudTrail bucket's server access logging removed (CIS AWS 3.4)",
            policy: "s3-access-logging",
            stacks: ["prod"],
            apply: (m) => m.remove(m.get(BUCKET_LOGGING, "audit")),
        },
        {
            id: "alb-log-bucket-unlogged",
            fault: "the ALB log bucket's server access logging removed",
            policy: "s3-access-logging",
            stacks: BOTH,
            apply: (m) => m.remove(m.get(BUCKET_LOGGING, "app-alb-logs")),
        },
        {
            id: "documents-unlogged",
            fault: "the documents bucket's (dr: its DR copy's) server access logging removed",
            policy: "s3-access-logging",
            stacks: BOTH,
            apply: (m) => m.remove(m.get(BUCKET_LOGGING, "data-documents")),
        },
        {
            id: "access-log-target-kms",
            fault: "the documents' access-log bucket encrypted with SSE-KMS (S3 then delivers no logs)",
            policy: "log-target-buckets",
            stacks: ["prod"],
            apply: (m) => m.set(m.get(BUCKET_SSE, "data-documents-logs"), "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }]),
        },
        {
            id: "alb-log-target-kms",
            fault: "the ALB log bucket encrypted with SSE-KMS (ALB then delivers no logs)",
            policy: "log-target-buckets",
            stacks: BOTH,
            apply: (m) => m.set(m.get(BUCKET_SSE, "app-alb-logs"), "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }]),
        },
        {
            id: "access-log-target-locked",
            fault: "the audit bucket's access-log target created with Object Lock",
            policy: "log-target-buckets",
            stacks: ["prod"],
            apply: (m) => m.set(m.get("aws:s3/bucket:Bucket", "audit-access-logs"), "objectLockEnabled", true),
        },
        {
            id: "dr-replica-unmonitored",
            fault: "the DR replica without Enhanced Monitoring",
            policy: "rds-monitoring-and-log-exports",
            stacks: ["dr"],
            apply: (m) => m.set(m.get(T.rds, "data-database"), "monitoringInterval", 0),
        },
        {
            id: "dr-replica-no-log-exports",
            fault: "the DR replica exports no logs (the SOC loses the database once it is promoted)",
            policy: "rds-monitoring-and-log-exports",
            stacks: ["dr"],
            apply: (m) => m.unset(m.get(T.rds, "data-database"), "enabledCloudwatchLogsExports"),
        },
        {
            id: "db-log-group-missing",
            fault: "the database's postgresql log group not pre-created (RDS makes an unencrypted, never-expiring one)",
            policy: "rds-monitoring-and-log-exports",
            stacks: BOTH,
            apply: (m) => {
                const group = m.plan.resources.find((r) => r.type === T.logGroup && /^\/aws\/rds\/instance\/.+\/postgresql$/.test(String(r.props.name)));
                if (!group) throw new Error("no postgresql log group in the plan");
                m.remove(group);
            },
        },
        {
            id: "audit-copy-governance",
            fault: "the audit trail's second copy locked in GOVERNANCE mode (bypassable) instead of COMPLIANCE",
            policy: "audit-trail-cross-region-copy",
            stacks: ["prod"],
            apply: (m) => {
                const lock = m.get("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "audit-copy");
                m.set(lock, "rule", { defaultRetention: { mode: "GOVERNANCE", days: 365 } });
            },
        },
        {
            id: "audit-trail-governance",
            fault: "the trail bucket locks its files in GOVERNANCE mode again: S3 replicates that retention, so the COMPLIANCE copy holds bypassable replicas",
            policy: "audit-trail-cross-region-copy",
            stacks: ["prod"],
            apply: (m) => {
                const lock = m.get("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "audit");
                m.set(lock, "rule", { defaultRetention: { mode: "GOVERNANCE", days: 365 } });
            },
        },
        {
            id: "audit-copy-replication-removed",
            fault: "the audit trail's cross-region replication removed (one copy, one region)",
            policy: "audit-trail-cross-region-copy",
            stacks: ["prod"],
            apply: (m) => m.remove(m.get("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "audit-copy")),
        },
        {
            id: "waf-logging-removed",
            fault: "the web ACL's logging configuration removed",
            policy: "waf-logging",
            stacks: BOTH,
            apply: (m) => m.remove(m.get("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "app-waf")),
        },
        {
            id: "waf-log-keeps-cookies",
            fault: "the WAF log no longer redacts the cookie header",
            policy: "waf-logging",
            stacks: BOTH,
            apply: (m) => {
                const cfg = m.get("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "app-waf");
                m.set(
                    cfg,
                    "redactedFields",
                    (cfg.props.redactedFields as Record<string, any>[]).filter((f) => f.singleHeader?.name !== "cookie"),
                );
            },
        },
    ];
}

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

// issue #11: key policies (kms-key-admits-services, policy/rules/kmsServices.ts)
type KeyStatement = { Sid?: string; Principal?: { Service?: string | string[]; AWS?: string }; Action: string | string[]; Condition?: Record<string, unknown> };

/** Rewrites a key's policy document (a literal in both modes: built from the account id). */
function editKeyPolicy(m: Mutator, key: string, edit: (statements: KeyStatement[]) => KeyStatement[]): void {
    const r = m.get(T.key, key);
    const doc = JSON.parse(r.props.policy as string) as { Statement: KeyStatement[] };
    m.set(r, "policy", JSON.stringify({ ...doc, Statement: edit(doc.Statement) }));
}

const grantsTo = (s: KeyStatement, principal: string) => [s.Principal?.Service ?? [], s.Principal?.AWS ?? []].flat().includes(principal);
const actionsOf = (s: KeyStatement) => [s.Action].flat();

function keyPolicyMutations(): Mutation[] {
    const slr = (m: Mutator) => String(m.get(T.key, "app-node-volumes").props.policy).match(/arn:aws:iam::\d{12}:role\/aws-service-role\/autoscaling[^"]+/)![0];
    return [
        {
            id: "trail-key-no-decrypt",
            fault: "CloudTrail's kms:Decrypt dropped although the trail bucket uses an S3 Bucket Key",
            policy: "kms-key-admits-services",
            stacks: ["prod"],
            apply: (m) =>
                editKeyPolicy(m, "audit", (ss) =>
                    ss.map((s) => (grantsTo(s, "cloudtrail.amazonaws.com") ? { ...s, Action: actionsOf(s).filter((a) => a !== "kms:Decrypt") } : s)),
                ),
        },
        {
            id: "trail-key-describe-under-context",
            fault: "CloudTrail's kms:DescribeKey moved back under the kms:EncryptionContext:aws:cloudtrail:arn condition (finding 3)",
            policy: "kms-key-admits-services",
            stacks: ["prod"],
            apply: (m) =>
                editKeyPolicy(m, "audit", (ss) =>
                    ss.map((s) => {
                        if (!grantsTo(s, "cloudtrail.amazonaws.com")) return s;
                        const actions = actionsOf(s).filter((a) => a !== "kms:DescribeKey");
                        return JSON.stringify(s.Condition ?? {}).includes("kms:EncryptionContext")
                            ? { ...s, Action: [...actions, "kms:DescribeKey"] }
                            : { ...s, Action: actions };
                    }),
                ),
        },
        {
            id: "flow-log-key-other-region-logs",
            fault: "the flow-log key admits another region's CloudWatch Logs principal",
            policy: "kms-key-admits-services",
            stacks: BOTH,
            apply: (m) => {
                const region = regionOf(m);
                const other = region === "eu-west-1" ? "eu-west-2" : "eu-west-1";
                editKeyPolicy(m, "network-flow-logs", (ss) =>
                    ss.map((s) => (grantsTo(s, `logs.${region}.amazonaws.com`) ? { ...s, Principal: { Service: `logs.${other}.amazonaws.com` } } : s)),
                );
            },
        },
        {
            id: "alerts-key-without-amp",
            fault: "the alerts topic's key no longer admits AMP's alert manager, which still publishes to the topic",
            policy: "kms-key-admits-services",
            stacks: ["prod"],
            apply: (m) => editKeyPolicy(m, "observability-alerts", (ss) => ss.filter((s) => !grantsTo(s, "aps.amazonaws.com"))),
        },
        {
            id: "node-volume-key-no-grant",
            fault: "the node-volume key lets the Auto Scaling role use the key but not create the EBS grant",
            policy: "kms-key-admits-services",
            stacks: BOTH,
            apply: (m) => {
                const role = slr(m);
                editKeyPolicy(m, "app-node-volumes", (ss) => ss.filter((s) => !(grantsTo(s, role) && actionsOf(s).includes("kms:CreateGrant"))));
            },
        },
        {
            id: "ecr-key-no-iam",
            fault: "the ECR key's policy loses its account-root statement: the repositories' IAM callers can no longer use it",
            policy: "kms-key-admits-services",
            // The repositories and their key are the account's (bootstrap stack).
            stacks: ["bootstrap"],
            apply: (m) =>
                editKeyPolicy(m, "account-ecr", (ss) =>
                    ss.map((s) => (s.Sid === "AccountAdministersKeyThroughIam" ? { ...s, Action: ["kms:Describe*", "kms:Put*", "kms:Get*", "kms:List*"] } : s)),
                ),
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
        // issue #14: delivery roles (the GitHub OIDC trusts of the bootstrap stack, known in both modes)
        {
            id: "preview-role-trust-without-sub",
            fault: "prod's preview role trusts GitHub Actions with only the audience pinned (any repository's workflow)",
            policy: "iam-role-trust-scoped",
            stacks: ["bootstrap"],
            apply: (m) =>
                editTrust(m, "account-preview-prod", (condition) => {
                    delete condition.StringEquals["token.actions.githubusercontent.com:sub"];
                }),
        },
        {
            id: "deploy-role-trust-wildcard-repository",
            fault: "prod's deploy role trusts repo:<org>/* with StringLike (every repository and branch of the organisation)",
            policy: "iam-role-trust-scoped",
            stacks: ["bootstrap"],
            apply: (m) =>
                editTrust(m, "account-ci-prod", (condition) => {
                    delete condition.StringEquals["token.actions.githubusercontent.com:sub"];
                    condition.StringLike = { "token.actions.githubusercontent.com:sub": "repo:example-org/*" };
                }),
        },
        {
            id: "image-push-role-wildcard-ref",
            fault: "django-web's image push role pins a wildcard subject (any branch) under StringEquals",
            policy: "iam-role-trust-scoped",
            stacks: ["bootstrap"],
            apply: (m) =>
                editTrust(m, "account-image-push-django-web", (condition) => {
                    condition.StringEquals["token.actions.githubusercontent.com:sub"] = "repo:example-org/django-web:*";
                }),
        },
    );
}
