import * as pulumi from "@pulumi/pulumi";
import { planSubnets, tierCidrs } from "../../model/cidr";
import { DEFAULTS } from "../../model/defaults";
import { validateArgs } from "../argErrors";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flowLogs";
import { createNetworkAcls } from "./networkAcls";
import { NetworkTierArgs, OnPremLinkArgs, validateNetworkArgs } from "./networkTierArgs";
import { createOnPremDns } from "./onPremDns";
import { createOnPremLink } from "./onPremLink";
import { createRouting } from "./routing";
import { createVpc } from "./vpc";

export type { NetworkTierArgs, OnPremLinkArgs };

/**
 * A three-tier VPC across N AZs (seed 1.1): public (ALB, NAT), private (EKS), isolated
 * (RDS, ElastiCache: no route to the internet). One NAT gateway and one route table per AZ
 * so that an AZ failure stays in that AZ; a NACL per tier; flow logs to a CMK-encrypted
 * log group for the SOC; endpoints so the private tier reaches AWS APIs without NAT;
 * and, with on-prem configured, a site-to-site VPN with two tunnels (and, with on-prem DNS, a Resolver
 * outbound endpoint forwarding the on-prem domains). Each step is a helper in
 * its own file, taking this component as parent (so names, URNs and options are those of one
 * flat component).
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
    /** The reserved blocks holding the interface endpoints' addresses, one per private subnet: where pods reach AWS APIs. */
    readonly apiEndpointCidrs: string[];
    /** The S3 gateway endpoint (the documents bucket's `aws:SourceVpce`). */
    readonly s3GatewayEndpointId: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;
    readonly vpnConnectionId?: pulumi.Output<string>;
    /** The VPN's tunnel outside addresses (TunnelIpAddress): what the per-tunnel alarms watch. */
    readonly vpnTunnelAddresses?: pulumi.Output<string>[];
    readonly vpnGatewayId?: pulumi.Output<string>;
    /** The Route 53 Resolver outbound endpoint forwarding the on-prem domains (with `onPrem.dns` only). */
    readonly onPremResolverEndpointId?: pulumi.Output<string>;

    constructor(name: string, args: NetworkTierArgs, opts?: pulumi.ComponentResourceOptions) {
        validateArgs(`NetworkTier ${name}`, (e) => validateNetworkArgs(e, args));
        super("hybrid:network:NetworkTier", name, {}, opts);
        const azCount = args.azCount ?? DEFAULTS.network.azCount;
        const plan = planSubnets(args.cidr, azCount);
        const tags = args.tags ?? {};
        const retentionInDays = args.flowLogRetentionDays ?? DEFAULTS.network.flowLogRetentionDays;

        const vpc = createVpc(this, name, { tags, cidr: args.cidr, region: args.region, azCount, plan });
        const routing = createRouting(this, name, { tags, vpcId: vpc.vpcId, plan, subnets: vpc.subnets, natCount: args.singleNatGateway ? 1 : azCount });
        createNetworkAcls(this, name, {
            tags,
            vpcId: vpc.vpcId,
            vpcCidr: args.cidr,
            plan,
            subnetIds: vpc.subnetIds,
            onPremCidrs: args.onPrem?.cidrs ?? [],
            onPremDnsServers: args.onPrem?.dns?.serverAddresses,
        });
        const flowLogs = createFlowLogs(this, name, { tags, vpcId: vpc.vpcId, region: args.region, accountId: args.accountId, retentionInDays });
        const endpoints = createEndpoints(this, name, {
            tags,
            vpcId: vpc.vpcId,
            accountId: args.accountId,
            vpcCidr: args.cidr,
            region: args.region,
            routeTableIds: [...routing.routeTableIds.private, ...routing.routeTableIds.isolated],
            privateSubnetIds: vpc.subnetIds.private,
            privateSubnetCidrs: tierCidrs(plan, "private"),
        });
        const link = args.onPrem
            ? createOnPremLink(this, name, {
                  tags,
                  onPrem: args.onPrem,
                  vpcId: vpc.vpcId,
                  vpcCidr: args.cidr,
                  privateRouteTableIds: routing.routeTableIds.private,
                  logKey: flowLogs.logKey,
                  retentionInDays,
              })
            : undefined;
        const onPremDns = args.onPrem?.dns
            ? createOnPremDns(this, name, { tags, dns: args.onPrem.dns, vpcId: vpc.vpcId, privateSubnetIds: vpc.subnetIds.private })
            : undefined;

        this.vpcId = vpc.vpcId;
        this.vpcCidr = args.cidr;
        this.availabilityZones = vpc.availabilityZones;
        this.publicSubnetIds = vpc.subnetIds.public;
        this.privateSubnetIds = vpc.subnetIds.private;
        this.isolatedSubnetIds = vpc.subnetIds.isolated;
        this.publicSubnetCidrs = tierCidrs(plan, "public");
        this.privateSubnetCidrs = tierCidrs(plan, "private");
        this.isolatedSubnetCidrs = tierCidrs(plan, "isolated");
        this.natGatewayIds = routing.natGatewayIds;
        this.privateRouteTableIds = routing.routeTableIds.private;
        this.isolatedRouteTableIds = routing.routeTableIds.isolated;
        this.endpointSecurityGroupId = endpoints.endpointSecurityGroupId;
        this.apiEndpointCidrs = endpoints.endpointCidrs;
        this.s3GatewayEndpointId = endpoints.s3GatewayEndpointId;
        this.flowLogGroupName = flowLogs.flowLogGroupName;
        this.vpnConnectionId = link?.vpnConnectionId;
        this.vpnGatewayId = link?.vpnGatewayId;
        this.vpnTunnelAddresses = link?.tunnelAddresses;
        this.onPremResolverEndpointId = onPremDns?.resolverEndpointId;
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
}
