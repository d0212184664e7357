import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface StandbyIngressArgs {
    /** DR VPC. Required. */
    readonly vpcId: pulumi.Input<string>;
    /** Public subnets of the DR VPC (one per AZ). Required. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** CIDR of the DR VPC (the only egress destination: the application targets). Required. */
    readonly vpcCidr: string;
    /** Deletion protection. Default true. */
    readonly deletionProtection?: boolean;
}

/**
 * The DR site's public Application Load Balancer, the SECONDARY target of the Route53 failover pair.
 * Listeners, TLS certificate, target groups and WAF association belong to the AppCluster that serves
 * behind it; until that is wired the ALB has no listener, so its health check reports unhealthy and
 * Route53 keeps answering with the prod ALB (the safe outcome).
 */
export class StandbyIngress extends pulumi.ComponentResource {
    readonly dnsName: pulumi.Output<string>;
    readonly zoneId: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: StandbyIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:dr:StandbyIngress", name, {}, opts);
        const sg = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: "DR public ALB: HTTPS from the internet, to the application tier only",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS from citizens (WAF on the listener)" }],
                egress: [{ protocol: "tcp", fromPort: 1024, toPort: 65535, cidrBlocks: [args.vpcCidr], description: "to application targets in the VPC" }],
                revokeRulesOnDelete: true,
            },
            { parent: this },
        );
        const alb = new aws.lb.LoadBalancer(
            name,
            {
                name: `${pulumi.getProject()}-${pulumi.getStack()}-ingress`.slice(0, 32),
                loadBalancerType: "application",
                internal: false,
                subnets: args.publicSubnetIds,
                securityGroups: [sg.id],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection ?? true,
            },
            { parent: this },
        );
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.arn = alb.arn;
        this.securityGroupId = sg.id;
        this.registerOutputs({ dnsName: this.dnsName, zoneId: this.zoneId, arn: this.arn });
    }
}
