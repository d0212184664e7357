import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier, TIERS, isPublicIpv4, overlaps, parseCidr, planSubnets, tierCidrs } from "../../model/cidr";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { stackLogGroupName } from "../../model/names";
import { INTERFACE_ENDPOINTS, azLetter, naclRules } from "../../model/network";
import { HTTPS_PORT } from "../../model/ports";
import { ArgErrors, validateArgs } from "../argErrors";
import { CustomerKey } from "../security/customerKey";
import { DEFAULTS } from "../../model/defaults";

/** The VPN gateway's own (Amazon-side) BGP ASN; the on-prem router must use another. */
const AMAZON_SIDE_ASN = 64512;

/** Hybrid connectivity to the on-prem data centre (seed 1.1, 9: Direct Connect / site-to-site VPN). */
export interface OnPremLinkArgs {
    /** On-prem networks routed from the private tier over the VPN: at least one IPv4 CIDR, none overlapping the VPC. Required. */
    readonly cidrs: string[];
    /**
     * Public IPv4 address of the on-prem VPN device (the customer gateway's outside interface). Required.
     * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/your-cgw.html
     */
    readonly vpnPeerAddress: string;
    /** Private BGP ASN of the on-prem router (64512-65534 or 4200000000-4294967294), not the VPN gateway's own 64512. Required. */
    readonly bgpAsn: number;
    /** Static routes instead of BGP. @default false (BGP: the tunnels fail over without manual routes) */
    readonly staticRoutesOnly?: boolean;
    /**
     * Existing Direct Connect gateway to associate with the VPN gateway.
     * @default none (VPN only)
     * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways.html
     */
    readonly directConnectGatewayId?: string;
}

export interface NetworkTierArgs {
    /**
     * The VPC CIDR, an IPv4 block from /16 to /20 (room for three tiers in every AZ). Required.
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
     */
    readonly cidr: string;
    /** AWS region, for interface endpoint service names and the CloudWatch Logs key grant. Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the flow-log role's confused-deputy condition and the key policy. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Availability zones to spread the three tiers across, 2 to 6; the region must offer that many. @default 3 */
    readonly azCount?: number;
    /**
     * Opt-out: one NAT gateway for all AZs (an AZ failure then cuts egress for the others).
     * @default false (one NAT gateway per AZ)
     * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html
     */
    readonly singleNatGateway?: boolean;
    /**
     * Flow log (and VPN tunnel log) retention in days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653).
     * @default 365
     * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
     */
    readonly flowLogRetentionDays?: number;
    /** Site-to-site VPN (and optional Direct Connect) to on-prem. @default none */
    readonly onPrem?: OnPremLinkArgs;
    /** Tags for the VPC and subnets. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
}

/** Tags that let the AWS Load Balancer Controller and EKS find the right subnets. */
const TIER_TAGS: Record<Tier, Record<string, string>> = {
    public: { "hybrid:tier": "public", "kubernetes.io/role/elb": "1" },
    private: { "hybrid:tier": "private", "kubernetes.io/role/internal-elb": "1" },
    isolated: { "hybrid:tier": "isolated" },
};

/**
 * A three-tier VPC across N AZs (seed 1.1): public (ALB, NAT), private (EKS), isolated
 * (RDS, ElastiCache: no route to the internet). One NAT gateway and one route table per AZ
 * so that an AZ failure stays in that AZ; a NACL per tier; flow logs to a CMK-encrypted
 * log group for the SOC; endpoints so the private tier reaches AWS APIs without NAT;
 * and, with on-prem configured, a site-to-site VPN with two tunnels.
 */
export class NetworkTier extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly vpcCidr: string;
    readonly availabilityZones: pulumi.Output<string[]>;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    readonly publicSubnetCidrs: string[];
    readonly privateSubnetCidrs: string[];
    readonly isolatedSubnetCidrs: string[];
    readonly natGatewayIds: pulumi.Output<string>[];
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly isolatedRouteTableIds: pulumi.Output<string>[];
    readonly endpointSecurityGroupId: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly vpnConnectionId?: pulumi.Output<string>;
    readonly vpnGatewayId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkTierArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`NetworkTier ${name}`, (e) => validateNetworkArgs(e, args));
        super("hybrid:network:NetworkTier", name, {}, opts);
        const azCount = args.azCount ?? DEFAULTS.network.azCount;
        const plan = planSubnets(args.cidr, azCount);
        const tags = args.tags ?? {};
        const child = { parent: this };

        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, child);
        this.availabilityZones = zones.names.apply((names) => {
            if (names.length < azCount)
                throw new pulumi.ResourceError(
                    `NetworkTier ${name}: azCount ${azCount} exceeds the ${names.length} availability zones ${args.region} offers`,
                    this,
                );
            return names.slice(0, azCount);
        });

        const vpc = new aws.ec2.Vpc(name, { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { ...tags, Name: name } }, child);
        this.vpcId = vpc.id;
        this.vpcCidr = args.cidr;
        // CIS AWS 5.4: the default security group and NACL allow nothing; every subnet gets a tier NACL below.
        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-deny` } }, child);
        new aws.ec2.DefaultNetworkAcl(`${name}-default`, { defaultNetworkAclId: vpc.defaultNetworkAclId, tags: { Name: `${name}-default-deny` } }, child);

        const subnets = new Map<PlannedSubnet, aws.ec2.Subnet>();
        for (const s of plan) {
            const subnetName = `${name}-${s.tier}-${azLetter(s.az)}`;
            subnets.set(
                s,
                new aws.ec2.Subnet(
                    subnetName,
                    {
                        vpcId: vpc.id,
                        cidrBlock: s.cidr,
                        availabilityZone: this.availabilityZones.apply((z) => z[s.az]),
                        // Nothing gets a public IP by launching: ALBs and NAT gateways bring their own.
                        mapPublicIpOnLaunch: false,
                        tags: { ...tags, ...TIER_TAGS[s.tier], Name: subnetName },
                    },
                    child,
                ),
            );
        }
        const subnetsOf = (tier: Tier) => plan.filter((s) => s.tier === tier).map((s) => subnets.get(s)!);
        this.publicSubnetIds = subnetsOf("public").map((s) => s.id);
        this.privateSubnetIds = subnetsOf("private").map((s) => s.id);
        this.isolatedSubnetIds = subnetsOf("isolated").map((s) => s.id);
        this.publicSubnetCidrs = tierCidrs(plan, "public");
        this.privateSubnetCidrs = tierCidrs(plan, "private");
        this.isolatedSubnetCidrs = tierCidrs(plan, "isolated");

        const igw = new aws.ec2.InternetGateway(name, { vpcId: vpc.id, tags: { ...tags, Name: name } }, child);
        const natCount = args.singleNatGateway ? 1 : azCount;
        const nats = Array.from({ length: natCount }, (_, az) => {
            const natName = `${name}-nat-${azLetter(az)}`;
            const eip = new aws.ec2.Eip(natName, { domain: "vpc", tags: { ...tags, Name: natName } }, child);
            return new aws.ec2.NatGateway(
                natName,
                { allocationId: eip.id, subnetId: subnetsOf("public")[az].id, connectivityType: "public", tags: { ...tags, Name: natName } },
                { parent: this, dependsOn: [igw] },
            );
        });
        this.natGatewayIds = nats.map((n) => n.id);

        // One route table per tier per AZ: a NAT or AZ failure affects only its own AZ's routes.
        const routeTables = new Map<PlannedSubnet, aws.ec2.RouteTable>();
        for (const s of plan) {
            const rtName = `${name}-${s.tier}-${azLetter(s.az)}`;
            const rt = new aws.ec2.RouteTable(rtName, { vpcId: vpc.id, tags: { ...tags, "hybrid:tier": s.tier, Name: rtName } }, child);
            new aws.ec2.RouteTableAssociation(rtName, { routeTableId: rt.id, subnetId: subnets.get(s)!.id }, child);
            routeTables.set(s, rt);
            if (s.tier === "public") {
                new aws.ec2.Route(`${rtName}-internet`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, child);
            } else if (s.tier === "private") {
                const nat = nats[Math.min(s.az, nats.length - 1)];
                new aws.ec2.Route(`${rtName}-egress`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, child);
            }
            // The isolated tier gets no default route at all: RDS and ElastiCache never reach the internet.
        }
        const routeTablesOf = (tier: Tier) => plan.filter((s) => s.tier === tier).map((s) => routeTables.get(s)!);
        this.privateRouteTableIds = routeTablesOf("private").map((rt) => rt.id);
        this.isolatedRouteTableIds = routeTablesOf("isolated").map((rt) => rt.id);

        const rules = naclRules({ plan, vpcCidr: args.cidr, onPremCidrs: args.onPrem?.cidrs ?? [] });
        for (const tier of TIERS) {
            const naclName = `${name}-${tier}`;
            const nacl = new aws.ec2.NetworkAcl(
                naclName,
                { vpcId: vpc.id, subnetIds: subnetsOf(tier).map((s) => s.id), tags: { ...tags, "hybrid:tier": tier, Name: naclName } },
                child,
            );
            for (const rule of rules[tier]) {
                new aws.ec2.NetworkAclRule(
                    `${naclName}-${rule.egress ? "out" : "in"}-${rule.ruleNumber}`,
                    {
                        networkAclId: nacl.id,
                        ruleNumber: rule.ruleNumber,
                        egress: rule.egress,
                        protocol: rule.protocol,
                        ruleAction: "allow",
                        cidrBlock: rule.cidrBlock,
                        fromPort: rule.fromPort,
                        toPort: rule.toPort,
                    },
                    child,
                );
            }
        }

        // Flow logs: every accepted and rejected flow, to a CMK-encrypted log group the SOC subscribes to (seed 4.3).
        const logKey = new CustomerKey(
            `${name}-flow-logs`,
            {
                description: `VPC flow logs of ${name}`,
                purpose: `${name}/flow-logs`,
                accountId: args.accountId,
                serviceGrants: [{ service: `logs.${args.region}.amazonaws.com` }],
                tags,
            },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: stackLogGroupName(pulumi.getStack(), name, "vpc-flow-logs"),
                retentionInDays: args.flowLogRetentionDays ?? DEFAULTS.network.flowLogRetentionDays,
                kmsKeyId: logKey.arn,
                tags,
            },
            child,
        );
        this.flowLogGroupName = logGroup.name;
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Lets VPC Flow Logs write ${name}'s flows to CloudWatch`,
                assumeRolePolicy: pulumi
                    .output(args.accountId)
                    .apply((accountId) => policyJson([trust({ Service: "vpc-flow-logs.amazonaws.com" }, "sts:AssumeRole", sourceAccount(accountId))])),
                tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowLogRole.id,
                policy: logGroup.arn.apply((arn) =>
                    policyJson([
                        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] },
                    ]),
                ),
            },
            child,
        );
        new aws.ec2.FlowLog(
            name,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
                tags,
            },
            child,
        );

        // Endpoints: image pulls and AWS API calls stay on the AWS network and keep working if NAT is lost.
        new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [...routeTablesOf("private"), ...routeTablesOf("isolated")].map((rt) => rt.id),
                tags: { ...tags, Name: `${name}-s3` },
            },
            child,
        );
        const endpointSg = new aws.ec2.SecurityGroup(
            `${name}-endpoints`,
            { vpcId: vpc.id, description: "Interface endpoints: HTTPS from inside the VPC only", tags: { ...tags, Name: `${name}-endpoints` } },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https`,
            {
                securityGroupId: endpointSg.id,
                ipProtocol: "tcp",
                fromPort: HTTPS_PORT,
                toPort: HTTPS_PORT,
                cidrIpv4: args.cidr,
                description: "HTTPS from the VPC",
            },
            child,
        );
        this.endpointSecurityGroupId = endpointSg.id;
        for (const service of INTERFACE_ENDPOINTS) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service.replace(".", "-")}`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: this.privateSubnetIds,
                    securityGroupIds: [endpointSg.id],
                    tags: { ...tags, Name: `${name}-${service}` },
                },
                child,
            );
        }

        if (args.onPrem) {
            const link = this.connectOnPrem(name, args.onPrem, vpc, routeTablesOf("private"), logKey, args, tags);
            this.vpnConnectionId = link.vpnConnectionId;
            this.vpnGatewayId = link.vpnGatewayId;
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            natGatewayIds: this.natGatewayIds,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
            flowLogGroupName: this.flowLogGroupName,
            vpnConnectionId: this.vpnConnectionId,
        });
    }

    /** Virtual private gateway, customer gateway, a two-tunnel IPsec VPN and routes to the on-prem CIDRs. */
    private connectOnPrem(
        name: string,
        onPrem: OnPremLinkArgs,
        vpc: aws.ec2.Vpc,
        privateRouteTables: aws.ec2.RouteTable[],
        logKey: CustomerKey,
        args: NetworkTierArgs,
        tags: Record<string, string>,
    ) {
        const child = { parent: this };
        const vgw = new aws.ec2.VpnGateway(name, { vpcId: vpc.id, amazonSideAsn: String(AMAZON_SIDE_ASN), tags: { ...tags, Name: name } }, child);
        const cgw = new aws.ec2.CustomerGateway(
            `${name}-on-prem`,
            { type: "ipsec.1", ipAddress: onPrem.vpnPeerAddress, bgpAsn: String(onPrem.bgpAsn), tags: { ...tags, Name: `${name}-on-prem` } },
            child,
        );
        const tunnelLogs = new aws.cloudwatch.LogGroup(
            `${name}-vpn-tunnels`,
            {
                name: stackLogGroupName(pulumi.getStack(), name, "vpn-tunnels"),
                retentionInDays: args.flowLogRetentionDays ?? DEFAULTS.network.flowLogRetentionDays,
                kmsKeyId: logKey.arn,
                tags,
            },
            child,
        );
        // Both tunnels terminate in different AWS endpoints; IKEv2 with AES-256-GCM and DH group 20+ only.
        const tunnel = {
            ikeVersions: ["ikev2"],
            phase1EncryptionAlgorithms: ["AES256-GCM-16"],
            phase2EncryptionAlgorithms: ["AES256-GCM-16"],
            phase1IntegrityAlgorithms: ["SHA2-384"],
            phase2IntegrityAlgorithms: ["SHA2-384"],
            phase1DhGroupNumbers: [20, 21],
            phase2DhGroupNumbers: [20, 21],
            dpdTimeoutAction: "restart",
            startupAction: "start",
            logOptions: { cloudwatchLogOptions: { logEnabled: true, logGroupArn: tunnelLogs.arn, logOutputFormat: "json" } },
        };
        const vpn = new aws.ec2.VpnConnection(
            `${name}-on-prem`,
            {
                type: "ipsec.1",
                vpnGatewayId: vgw.id,
                customerGatewayId: cgw.id,
                staticRoutesOnly: onPrem.staticRoutesOnly ?? DEFAULTS.network.onPrem.staticRoutesOnly,
                ...Object.fromEntries(
                    ["tunnel1", "tunnel2"].flatMap((t) => Object.entries(tunnel).map(([k, v]) => [`${t}${k[0].toUpperCase()}${k.slice(1)}`, v])),
                ),
                tags: { ...tags, Name: `${name}-on-prem` },
            },
            child,
        );
        for (const [i, cidr] of onPrem.cidrs.entries()) {
            if (onPrem.staticRoutesOnly) {
                new aws.ec2.VpnConnectionRoute(`${name}-on-prem-${i}`, { vpnConnectionId: vpn.id, destinationCidrBlock: cidr }, child);
            }
            privateRouteTables.forEach((rt, az) => {
                new aws.ec2.Route(
                    `${name}-private-${azLetter(az)}-on-prem-${i}`,
                    { routeTableId: rt.id, destinationCidrBlock: cidr, gatewayId: vgw.id },
                    child,
                );
            });
        }
        if (onPrem.directConnectGatewayId) {
            new aws.directconnect.GatewayAssociation(
                `${name}-dx`,
                { dxGatewayId: onPrem.directConnectGatewayId, associatedGatewayId: vgw.id, allowedPrefixes: [args.cidr] },
                child,
            );
        }
        return { vpnConnectionId: vpn.id, vpnGatewayId: vgw.id };
    }
}

/** What AWS would refuse, or what would make no network: checked before anything registers. */
function validateNetworkArgs(e: ArgErrors, args: NetworkTierArgs): void {
    const vpc = parseCidr(args.cidr);
    e.check(vpc !== undefined && vpc.prefix >= 16 && vpc.prefix <= 20, "cidr", `${args.cidr} is not an IPv4 CIDR from /16 to /20 with host bits zero`);
    e.integer(args.azCount, 2, 6, "azCount");
    e.logRetention(args.flowLogRetentionDays, "flowLogRetentionDays");
    const onPrem = args.onPrem;
    if (!onPrem) return;
    e.atLeast(onPrem.cidrs, 1, "onPrem.cidrs", "on-prem CIDRs");
    onPrem.cidrs.forEach((c, i) => {
        const onPremCidr = parseCidr(c);
        e.check(onPremCidr !== undefined, `onPrem.cidrs[${i}]`, `${c} is not an IPv4 CIDR with host bits zero`);
        e.check(
            !(onPremCidr && vpc && overlaps(onPremCidr, vpc)),
            `onPrem.cidrs[${i}]`,
            `${c} overlaps the VPC ${args.cidr}: the route to on-prem would shadow the VPC`,
        );
    });
    e.check(isPublicIpv4(onPrem.vpnPeerAddress), "onPrem.vpnPeerAddress", `${onPrem.vpnPeerAddress} is not a public IPv4 address`);
    const asn = onPrem.bgpAsn;
    e.check(
        Number.isInteger(asn) && ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294)),
        "onPrem.bgpAsn",
        `${asn} is not a private BGP ASN (64512-65534 or 4200000000-4294967294)`,
    );
    e.check(asn !== AMAZON_SIDE_ASN, "onPrem.bgpAsn", `${asn} is the VPN gateway's own ASN; eBGP needs the on-prem router on another`);
}
