/**
 * On-prem link step: virtual private gateway, customer gateway, a two-tunnel IPsec VPN (tunnel logs
 * in the network's log key), routes to the on-prem CIDRs from every private route table, and the
 * optional Direct Connect gateway association.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../../model/defaults";
import { stackLogGroupName } from "../../model/names";
import { azLetter } from "../../model/network";
import { CustomerKey } from "../security/customerKey";
import { AMAZON_SIDE_ASN, OnPremLinkArgs } from "./networkTierArgs";
import { StepScope } from "./step";

export interface OnPremArgs extends StepScope {
    readonly onPrem: OnPremLinkArgs;
    readonly vpcId: pulumi.Input<string>;
    /** The only prefix the Direct Connect gateway may advertise to on-prem. */
    readonly vpcCidr: string;
    /** In AZ order: each gets a route per on-prem CIDR. */
    readonly privateRouteTableIds: pulumi.Input<string>[];
    /** Encrypts the tunnel log group. */
    readonly logKey: CustomerKey;
    readonly retentionInDays: number;
}

export interface OnPremLink {
    readonly vpnConnectionId: pulumi.Output<string>;
    readonly vpnGatewayId: pulumi.Output<string>;
    /** The two tunnels' outside addresses: the TunnelIpAddress dimension of their TunnelState (issue #13 alarms). */
    readonly tunnelAddresses: pulumi.Output<string>[];
}

/** Virtual private gateway, customer gateway, a two-tunnel IPsec VPN and routes to the on-prem CIDRs. */
export function createOnPremLink(parent: pulumi.ComponentResource, name: string, args: OnPremArgs): OnPremLink {
    const { onPrem, tags } = args;
    const child = { parent };
    const vgw = new aws.ec2.VpnGateway(name, { vpcId: args.vpcId, amazonSideAsn: String(AMAZON_SIDE_ASN), tags: { ...tags, Name: name } }, child);
    const cgw = new aws.ec2.CustomerGateway(
        `${name}-on-prem`,
        { type: "ipsec.1", ipAddress: onPrem.vpnPeerAddress, bgpAsn: String(onPrem.bgpAsn), tags: { ...tags, Name: `${name}-on-prem` } },
        child,
    );
    const tunnelLogs = new aws.cloudwatch.LogGroup(
        `${name}-vpn-tunnels`,
        {
            name: stackLogGroupName(pulumi.getStack(), name, "vpn-tunnels"),
            retentionInDays: args.retentionInDays,
            kmsKeyId: args.logKey.arn,
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
            ...Object.fromEntries(["tunnel1", "tunnel2"].flatMap((t) => Object.entries(tunnel).map(([k, v]) => [`${t}${k[0].toUpperCase()}${k.slice(1)}`, v]))),
            tags: { ...tags, Name: `${name}-on-prem` },
        },
        child,
    );
    for (const [i, cidr] of onPrem.cidrs.entries()) {
        if (onPrem.staticRoutesOnly) {
            new aws.ec2.VpnConnectionRoute(`${name}-on-prem-${i}`, { vpnConnectionId: vpn.id, destinationCidrBlock: cidr }, child);
        }
        args.privateRouteTableIds.forEach((routeTableId, az) => {
            new aws.ec2.Route(`${name}-private-${azLetter(az)}-on-prem-${i}`, { routeTableId, destinationCidrBlock: cidr, gatewayId: vgw.id }, child);
        });
    }
    if (onPrem.directConnectGatewayId) {
        new aws.directconnect.GatewayAssociation(
            `${name}-dx`,
            { dxGatewayId: onPrem.directConnectGatewayId, associatedGatewayId: vgw.id, allowedPrefixes: [args.vpcCidr] },
            child,
        );
    }
    return { vpnConnectionId: vpn.id, vpnGatewayId: vgw.id, tunnelAddresses: [vpn.tunnel1Address, vpn.tunnel2Address] };
}
