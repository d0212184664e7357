/**
 * Endpoints step: an S3 gateway endpoint on the private and isolated route tables, and the interface
 * endpoints of `model/network.ts` in the private tier behind a security group admitting HTTPS from
 * the VPC only. Their network interfaces take fixed addresses in a reserved block of each private
 * subnet (model/endpointAddresses.ts), the only private addresses the pods' NetworkPolicy opens 443 to.
 * Every endpoint carries a policy admitting this account's principals only, plus what AWS itself needs through it
 * (model/endpointPolicies.ts): AWS's default policy would let any credential, ours or not, through.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { endpointAddress, endpointBlock } from "../../model/endpointAddresses";
import { endpointPolicyStatements } from "../../model/endpointPolicies";
import { policyJson } from "../../model/iam";
import { INTERFACE_ENDPOINTS } from "../../model/network";
import { HTTPS_PORT } from "../../model/ports";
import { StepScope } from "./step";

export interface EndpointsArgs extends StepScope {
    readonly vpcId: pulumi.Input<string>;
    /** The stack's account: the only one whose principals (and, for S3, whose buckets) the endpoint policies admit. */
    readonly accountId: pulumi.Input<string>;
    /** The only source the interface endpoints admit. */
    readonly vpcCidr: string;
    /** For the endpoint service names. */
    readonly region: string;
    /** Where the S3 gateway endpoint's routes go: the private, then the isolated tier's tables. */
    readonly routeTableIds: pulumi.Input<string>[];
    /** Where the interface endpoints' network interfaces go. */
    readonly privateSubnetIds: pulumi.Input<string>[];
    /** The CIDRs of `privateSubnetIds`, in the same order: each holds a reserved block for the endpoints' addresses. */
    readonly privateSubnetCidrs: string[];
}

export interface Endpoints {
    readonly endpointSecurityGroupId: pulumi.Output<string>;
    /** The reserved block of each private subnet holding the interface endpoints' addresses (their only private HTTPS destinations for pods). */
    readonly endpointCidrs: string[];
    /** The S3 gateway endpoint: the documents bucket admits object reads and writes through it only (`aws:SourceVpce`). */
    readonly s3GatewayEndpointId: pulumi.Output<string>;
}

export function createEndpoints(parent: pulumi.ComponentResource, name: string, args: EndpointsArgs): Endpoints {
    const { vpcId, tags } = args;
    const child = { parent };
    // undefined (AWS's default policy) only for a service that ignores endpoint policies (none of ours today).
    const policyOf = (service: string) =>
        pulumi.output(args.accountId).apply((accountId) => {
            const statements = endpointPolicyStatements(service, accountId, args.region);
            return statements && policyJson(statements);
        });
    // Endpoints: image pulls and AWS API calls stay on the AWS network and keep working if NAT is lost.
    const s3 = new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
            vpcId,
            serviceName: `com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: args.routeTableIds,
            policy: policyOf("s3"),
            tags: { ...tags, Name: `${name}-s3` },
        },
        child,
    );
    const endpointSg = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        { vpcId, description: "Interface endpoints: HTTPS from inside the VPC only", tags: { ...tags, Name: `${name}-endpoints` } },
        child,
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-https`,
        {
            securityGroupId: endpointSg.id,
            ipProtocol: "tcp",
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
            cidrIpv4: args.vpcCidr,
            description: "HTTPS from the VPC",
        },
        child,
    );
    // Explicit reservations: EC2 assigns none of these addresses on its own (no node or pod ENI gets one), only what names them.
    const endpointCidrs = args.privateSubnetCidrs.map(endpointBlock);
    const reservations = endpointCidrs.map(
        (cidrBlock, i) =>
            new aws.ec2.SubnetCidrReservation(
                `${name}-endpoints-${i}`,
                { subnetId: args.privateSubnetIds[i], cidrBlock, reservationType: "explicit", description: "Interface VPC endpoints' addresses" },
                child,
            ),
    );
    INTERFACE_ENDPOINTS.forEach((service, index) => {
        new aws.ec2.VpcEndpoint(
            `${name}-${service.replace(".", "-")}`,
            {
                vpcId,
                serviceName: `com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.privateSubnetIds,
                subnetConfigurations: args.privateSubnetIds.map((subnetId, i) => ({ subnetId, ipv4: endpointAddress(args.privateSubnetCidrs[i], index) })),
                securityGroupIds: [endpointSg.id],
                policy: policyOf(service),
                tags: { ...tags, Name: `${name}-${service}` },
            },
            { ...child, dependsOn: reservations },
        );
    });
    return { endpointSecurityGroupId: endpointSg.id, endpointCidrs, s3GatewayEndpointId: s3.id };
}
