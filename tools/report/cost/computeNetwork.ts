/**
 * Pricers of compute and network (issue #15 part CC): the EKS control plane, worker nodes and their root
 * volumes here; NAT, public IPv4, ALB, WAF, VPN, endpoints, Route 53, transfer and ECR in networkEdge.ts.
 * Each prices what the resource declares; a quantity only traffic decides is a usage assumption
 * (USAGE below, overridable by a usage file), stated on the line.
 */
import type { PlannedResource } from "../../offline";
import { KUBERNETES_SUPPORT, SupportWindow } from "../../../model/versions";
import { HOURS_PER_MONTH } from "../../../model/prices";
import type { PricedItem, Pricer, PricerSet, PricingContext } from "./index";
import { COMPUTE_NETWORK_USAGE } from "./computeNetworkUsage";
import { EDGE_PRICERS } from "./networkEdge";
import { known } from "./pricerKit";

/**
 * EKS control plane: the standard rate while the cluster's version is in standard support on the plan
 * date, the extended-support rate after it (extended support is on by default; a cluster whose upgrade
 * policy is STANDARD is upgraded instead, so it keeps the standard rate).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const eksControlPlane: Pricer = (r, ctx) => {
    if (r.type === "aws:eks/cluster:Cluster" && ctx.byUrn.get(r.parent ?? "")?.type === "eks:index:Cluster") return []; // priced on the component
    const props = r.props as { version?: unknown; eksCluster?: { version?: unknown }; upgradePolicy?: { supportType?: unknown } };
    const version = known(props.version) ? props.version : props.eksCluster?.version;
    if (!known(version)) return { unpriced: "the Kubernetes version is not known, so neither the standard nor the extended-support rate can be chosen" };
    const support = (KUBERNETES_SUPPORT as Record<string, SupportWindow>)[String(version)];
    if (!support?.standardSupportEnds) return { unpriced: `Kubernetes ${String(version)} has no EKS support window in model/versions.ts` };
    const extended = ctx.date > support.standardSupportEnds && props.upgradePolicy?.supportType !== "STANDARD";
    return [
        {
            item: extended
                ? `control plane, Kubernetes ${String(version)} in extended support (standard support ended ${support.standardSupportEnds})`
                : `control plane, Kubernetes ${String(version)} in standard support (until ${support.standardSupportEnds})`,
            quantity: HOURS_PER_MONTH,
            unit: "cluster-hours",
            priceKey: extended ? "eks.cluster.extended" : "eks.cluster.standard",
            category: "compute",
        },
    ];
};

interface EbsDevice {
    volumeSize?: unknown;
    volumeType?: unknown;
    iops?: unknown;
    throughput?: unknown;
}

/** The launch template a node group launches from: by its dependency (works in preview), else by the template ID. */
function launchTemplateOf(r: PlannedResource, ctx: PricingContext): PlannedResource | undefined {
    for (const urn of r.dependencies ?? []) {
        const dep = ctx.byUrn.get(urn);
        if (dep?.type === "aws:ec2/launchTemplate:LaunchTemplate") return dep;
    }
    const id = (r.props.launchTemplate as { id?: unknown } | undefined)?.id;
    return known(id) ? ctx.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.id === id) : undefined;
}

/** gp3 includes 3,000 IOPS and 125 MB/s; above that each is priced. @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html#gp3-ebs-volume-type */
const GP3_FREE_IOPS = 3000;
const GP3_FREE_THROUGHPUT = 125;

/** Root (and other) EBS volumes of `nodes` instances, from the launch template's block device mappings or the node group's disk size. */
function volumes(r: PlannedResource, ctx: PricingContext, nodes: number): PricedItem[] {
    const template = launchTemplateOf(r, ctx);
    const mappings = (template?.props.blockDeviceMappings as { deviceName?: string; ebs?: EbsDevice }[] | undefined) ?? [];
    const devices: (EbsDevice & { deviceName: string })[] = mappings.filter((m) => m.ebs).map((m) => ({ deviceName: m.deviceName ?? "volume", ...m.ebs }));
    if (!template) {
        // Without a launch template EKS gives each node a diskSize GiB root volume (20 GiB by default).
        // @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html (diskSize)
        devices.push({ deviceName: "root (EKS default disk, gp3 assumed)", volumeSize: known(r.props.diskSize) ? r.props.diskSize : 20, volumeType: "gp3" });
    }
    const items: PricedItem[] = [];
    for (const d of devices) {
        // Undeclared, the type is CreateVolume's default, gp2 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html).
        const type = known(d.volumeType) ? String(d.volumeType) : "gp2";
        const size = Number(d.volumeSize);
        if (!Number.isFinite(size)) {
            // No size declared: the volume takes the AMI snapshot's size, unknown offline; a key with no price reports it unpriced.
            items.push({
                item: `${d.deviceName} volume of the AMI's snapshot size`,
                quantity: nodes,
                unit: "volumes",
                priceKey: "ebs.sizeFromAmiSnapshot",
                category: "compute",
            });
            continue;
        }
        items.push({
            item: `${d.deviceName} ${type}${known(d.volumeType) ? "" : " (type undeclared)"} volume, ${size} GB x ${nodes} nodes`,
            quantity: size * nodes,
            unit: "GB-months",
            priceKey: `ebs.${type}.gbMonth`,
            category: "compute",
        });
        if (type === "gp3" && Number(d.iops) > GP3_FREE_IOPS) {
            const extra = Number(d.iops) - GP3_FREE_IOPS;
            items.push({
                item: `${d.deviceName} IOPS above ${GP3_FREE_IOPS}, ${extra} x ${nodes}`,
                quantity: extra * nodes,
                unit: "IOPS-months",
                priceKey: "ebs.gp3.iopsMonth",
                category: "compute",
            });
        }
        if (type === "gp3" && Number(d.throughput) > GP3_FREE_THROUGHPUT) {
            const extra = Number(d.throughput) - GP3_FREE_THROUGHPUT;
            items.push({
                item: `${d.deviceName} throughput above ${GP3_FREE_THROUGHPUT} MB/s, ${extra} x ${nodes}`,
                quantity: extra * nodes,
                unit: "MB/s-months",
                priceKey: "ebs.gp3.throughputMonth",
                category: "compute",
            });
        }
    }
    return items;
}

/**
 * Managed node group: its desired count of On-Demand instances all month, and their volumes. Spot
 * prices move with the market, so a SPOT group is reported unpriced rather than guessed.
 */
export const nodeGroup: Pricer = (r, ctx) => {
    const props = r.props as { instanceTypes?: unknown; scalingConfig?: { desiredSize?: unknown }; capacityType?: unknown };
    if (props.capacityType === "SPOT") return { unpriced: "SPOT capacity: the price moves with the market and is not in the offline table" };
    const types = Array.isArray(props.instanceTypes) ? props.instanceTypes.filter(known).map(String) : [];
    const desired = Number(props.scalingConfig?.desiredSize);
    if (types.length === 0) return { unpriced: "no instance type declared (EKS would default to t3.medium): set instanceTypes" };
    if (!Number.isFinite(desired)) return { unpriced: "the desired node count is not known" };
    const type = types[0];
    const mixed = types.length > 1 ? ` (first of ${types.join(", ")}: EKS picks by capacity)` : "";
    return [
        {
            item: `${desired} x ${type} On-Demand${mixed}`,
            quantity: desired * HOURS_PER_MONTH,
            unit: "instance-hours",
            priceKey: `ec2.instance.${type}`,
            category: "compute",
        },
        ...volumes(r, ctx, desired),
    ];
};

const FREE_WHY = {
    network: "VPC networking construct: no charge of its own (traffic through it is priced where it is processed: NAT, endpoints, transfer)",
    iam: "IAM is offered at no additional charge (https://aws.amazon.com/iam/)",
    lb: "part of its load balancer: priced through the ALB's hours and LCUs (rule evaluations beyond 10 rules count in LCUs)",
    eks: "EKS configuration object: no charge of its own (the add-on's pods run on the priced nodes)",
    vpn: "VPN building block: the connection-hour is priced on the VPN connection (virtual private and customer gateways are free)",
};

export const COMPUTE_NETWORK_FREE: Record<string, string> = {
    "aws:ec2/vpc:Vpc": FREE_WHY.network,
    "aws:ec2/subnet:Subnet": FREE_WHY.network,
    "aws:ec2/routeTable:RouteTable": FREE_WHY.network,
    "aws:ec2/routeTableAssociation:RouteTableAssociation": FREE_WHY.network,
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": FREE_WHY.network,
    "aws:ec2/defaultRouteTable:DefaultRouteTable": FREE_WHY.network,
    "aws:ec2/route:Route": FREE_WHY.network,
    "aws:ec2/securityGroup:SecurityGroup": FREE_WHY.network,
    "aws:ec2/securityGroupRule:SecurityGroupRule": FREE_WHY.network,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": FREE_WHY.network,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": FREE_WHY.network,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": FREE_WHY.network,
    "aws:ec2/networkAcl:NetworkAcl": FREE_WHY.network,
    "aws:ec2/networkAclRule:NetworkAclRule": FREE_WHY.network,
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": FREE_WHY.network,
    "aws:ec2/internetGateway:InternetGateway": FREE_WHY.network,
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": FREE_WHY.network,
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation": FREE_WHY.network,
    "aws:ec2/vpcDhcpOptions:VpcDhcpOptions": FREE_WHY.network,
    "aws:ec2/vpcDhcpOptionsAssociation:VpcDhcpOptionsAssociation": FREE_WHY.network,
    "aws:ec2/eipAssociation:EipAssociation": "association only: the address is priced on its Eip",
    "aws:ec2/vpnGateway:VpnGateway": FREE_WHY.vpn,
    "aws:ec2/customerGateway:CustomerGateway": FREE_WHY.vpn,
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": FREE_WHY.vpn,
    "aws:ec2/vpnConnectionRoute:VpnConnectionRoute": FREE_WHY.vpn,
    "aws:ec2/launchTemplate:LaunchTemplate": "a template: its volumes are priced on the node groups that launch from it",
    "aws:iam/role:Role": FREE_WHY.iam,
    "aws:iam/rolePolicy:RolePolicy": FREE_WHY.iam,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": FREE_WHY.iam,
    "aws:iam/policy:Policy": FREE_WHY.iam,
    "aws:iam/instanceProfile:InstanceProfile": FREE_WHY.iam,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": FREE_WHY.iam,
    "aws:iam/serviceLinkedRole:ServiceLinkedRole": FREE_WHY.iam,
    "aws:rolesanywhere/trustAnchor:TrustAnchor": "IAM Roles Anywhere is offered at no additional charge (https://aws.amazon.com/iam/roles-anywhere/pricing/)",
    "aws:rolesanywhere/profile:Profile": "IAM Roles Anywhere is offered at no additional charge (https://aws.amazon.com/iam/roles-anywhere/pricing/)",
    "aws:lb/targetGroup:TargetGroup": FREE_WHY.lb,
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": FREE_WHY.lb,
    "aws:lb/listener:Listener": FREE_WHY.lb,
    "aws:lb/listenerRule:ListenerRule": FREE_WHY.lb,
    "aws:lb/listenerCertificate:ListenerCertificate": FREE_WHY.lb,
    "aws:acm/certificateValidation:CertificateValidation": "a wait for DNS validation: no resource of its own",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "association only: the web ACL is priced once however many resources it protects",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "no WAF charge: the logs are priced at their destination (CloudWatch Logs)",
    "aws:eks/accessEntry:AccessEntry": FREE_WHY.eks,
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": FREE_WHY.eks,
    "aws:eks/addon:Addon": FREE_WHY.eks,
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": FREE_WHY.eks,
    "aws:route53/resolverRule:ResolverRule": "Resolver rules have no charge: the endpoint's ENI-hours and the queries it forwards are priced on the endpoint",
    "aws:route53/resolverRuleAssociation:ResolverRuleAssociation": "association only: priced on the Resolver endpoint",
    "aws:route53/zoneAssociation:ZoneAssociation": "association only: the hosted zone is priced on its Zone",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "no charge: it lowers the priced repository storage",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "a policy document: no charge",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate":
        "a template: the replica repositories it creates are priced with the replication configuration",
    "aws:codeconnections/connection:Connection": "AWS CodeConnections is offered at no additional charge",
};

export const COMPUTE_NETWORK: PricerSet = {
    pricers: {
        "eks:index:Cluster": eksControlPlane,
        "aws:eks/cluster:Cluster": eksControlPlane,
        "aws:eks/nodeGroup:NodeGroup": nodeGroup,
        ...EDGE_PRICERS,
    },
    free: COMPUTE_NETWORK_FREE,
    usage: COMPUTE_NETWORK_USAGE,
};
