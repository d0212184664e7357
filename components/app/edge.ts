/**
 * Edge step (seed 4.1, 4.2): an internet-facing ALB, HTTPS only with TLS 1.3 (HTTP just redirects),
 * access logs, one ip target group per served workload and release track, weighted forwarding for
 * canary and blue-green, and the WAF in front.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, ReleaseStrategy } from "../../model/appConfig";
import { HEALTH_CHECK_PORT, HTTPS_PORT, HTTP_PORT } from "../../model/ports";
import { candidateTrafficPercent } from "../../model/release";
import { SERVED_PORTS, ServedName, Track } from "../../model/workloads";
import { ALB_LOG_PREFIX, createAlbLogBucket } from "./albLogs";
import { issueCertificate } from "./certificate";
import { StepScope } from "./step";
import { createWaf } from "./waf";

export interface EdgeArgs extends StepScope {
    readonly app: AppConfig;
    readonly production: boolean;
    readonly releaseStrategy: ReleaseStrategy;
    readonly accountId: pulumi.Input<string>;
    /** The stack's region: the WAF log group's key admits CloudWatch Logs of this region, and the Route53 health checkers' prefix list is regional. */
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** The cluster security group, which holds the pods' ENIs the ALB targets. */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    readonly hostname: string;
    /** Where an issued certificate is validated; validated by AppCluster to be set unless app.certificateArn is. */
    readonly zoneName?: string;
    /** FQDN of the hostname's ACM validation record, owned by the bootstrap stack (see CertificateArgs). */
    readonly validationRecordFqdn: pulumi.Input<string>;
}

/**
 * The health-check listener's TLS policy: TLS 1.3 and 1.2, as Route53's HTTPS checkers need ("the endpoint must
 * support TLS v1.0, v1.1, or v1.2"); citizens keep the TLS 1.3-only listener on 443 (seed 4.2).
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const HEALTH_CHECK_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export type TargetGroups = Partial<Record<`${ServedName}:${Track}`, aws.lb.TargetGroup>>;

export interface Edge {
    readonly alb: aws.lb.LoadBalancer;
    /** Per served workload and track; a candidate only when the release configures one. */
    readonly targetGroups: TargetGroups;
    readonly webAcl: aws.wafv2.WebAcl;
    /** The WAF's request log (aws-waf-logs-*), which the SOC receives (issue #13 item 7). */
    readonly wafLogGroupName: pulumi.Output<string>;
}

export function createEdge(parent: pulumi.ComponentResource, name: string, args: EdgeArgs): Edge {
    const { app, stack } = args;
    const albSg = new aws.ec2.SecurityGroup(
        `${name}-alb`,
        {
            vpcId: args.vpcId,
            description: "Internet-facing ALB: HTTPS (and HTTP only to redirect) in, app ports to the pods out",
            tags: { ...(args.tags ?? {}), Name: `${stack}-alb` },
        },
        { parent },
    );
    // Rules as separate resources (never mixed with inline rules): no default allow-all egress remains.
    for (const [port, why] of [
        [HTTPS_PORT, "HTTPS from citizens"],
        [HTTP_PORT, "HTTP, redirected to HTTPS"],
    ] as const) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-in-${port}`,
            { securityGroupId: albSg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port, description: why },
            { parent },
        );
    }
    for (const [served, port] of Object.entries(SERVED_PORTS)) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-alb-to-${served}`,
            {
                securityGroupId: albSg.id,
                referencedSecurityGroupId: args.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: `ALB to ${served} pods`,
            },
            { parent },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-${served}-from-alb`,
            {
                securityGroupId: args.clusterSecurityGroupId,
                referencedSecurityGroupId: albSg.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                description: `${served} pods from the ALB`,
            },
            { parent },
        );
    }
    const albLogs = createAlbLogBucket(parent, name, { stack, accountId: args.accountId });
    const alb = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            name: `${stack}-portal`.slice(0, 32),
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [albSg.id],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            enableDeletionProtection: args.production,
            idleTimeout: 60,
            accessLogs: { bucket: albLogs.bucketName, prefix: ALB_LOG_PREFIX, enabled: true },
            tags: args.tags,
        },
        { parent, dependsOn: [albLogs.policy] },
    );
    const targetGroups = createTargetGroups(parent, name, args);
    const stickiness = { enabled: args.releaseStrategy !== "rolling", duration: 600 };
    const toCandidate = candidateTrafficPercent(args.releaseStrategy, app.release.canaryWeight, app.release.promote);
    const forward = (served: ServedName) => {
        const stable = targetGroups[`${served}:stable`]!;
        const candidate = targetGroups[`${served}:candidate`];
        const weights = candidate
            ? [
                  { arn: stable.arn, weight: 100 - toCandidate },
                  { arn: candidate.arn, weight: toCandidate },
              ]
            : [{ arn: stable.arn, weight: 100 }];
        return { type: "forward", forward: { targetGroups: weights, stickiness } };
    };
    const certificateArn =
        app.certificateArn ?? issueCertificate(parent, name, { hostname: args.hostname, tags: args.tags, validationRecordFqdn: args.validationRecordFqdn });
    const https = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: alb.arn,
            port: HTTPS_PORT,
            protocol: "HTTPS",
            sslPolicy: app.tlsPolicy,
            certificateArn,
            defaultActions: [forward("django-web")],
            tags: args.tags,
        },
        { parent },
    );
    new aws.lb.ListenerRule(
        `${name}-api`,
        {
            listenerArn: https.arn,
            priority: 10,
            conditions: [{ pathPattern: { values: ["/api", "/api/*"] } }],
            actions: [forward("fastapi-api")],
            tags: args.tags,
        },
        { parent },
    );
    new aws.lb.Listener(
        `${name}-http-redirect`,
        {
            loadBalancerArn: alb.arn,
            port: HTTP_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
            tags: args.tags,
        },
        { parent },
    );
    createHealthCheckListener(parent, name, { ...args, albArn: alb.arn, albSecurityGroupId: albSg.id, certificateArn, defaultAction: forward("django-web") });
    const { webAcl, logGroup: wafLogGroup } = createWaf(parent, name, {
        stack,
        tags: args.tags,
        rateLimit: app.wafRateLimit,
        albArn: alb.arn,
        region: args.region,
        accountId: args.accountId,
        uploadPaths: app.wafUploadPaths,
        maxUploadBytes: app.wafMaxUploadBytes,
    });
    return { alb, targetGroups, webAcl, wafLogGroupName: wafLogGroup.name };
}

/**
 * A second HTTPS listener, for Route53's health checkers only (their AWS-managed prefix list is its one source):
 * they cannot negotiate TLS 1.3, so against the 443 listener every uptime and GSLB check would fail and DNS
 * failover would judge both sites down. Same certificate, same targets; what it serves is public on 443 anyway.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-router-firewall-rules.html
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html (com.amazonaws.<region>.route53-healthchecks, weight 25)
 */
function createHealthCheckListener(
    parent: pulumi.ComponentResource,
    name: string,
    args: EdgeArgs & {
        albArn: pulumi.Output<string>;
        albSecurityGroupId: pulumi.Output<string>;
        certificateArn: pulumi.Input<string>;
        defaultAction: aws.types.input.lb.ListenerDefaultAction;
    },
): aws.lb.Listener {
    const checkers = aws.ec2.getManagedPrefixListOutput({ name: `com.amazonaws.${args.region}.route53-healthchecks` }, { parent });
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-alb-in-${HEALTH_CHECK_PORT}`,
        {
            securityGroupId: args.albSecurityGroupId,
            prefixListId: checkers.id,
            ipProtocol: "tcp",
            fromPort: HEALTH_CHECK_PORT,
            toPort: HEALTH_CHECK_PORT,
            description: "Route53 health checkers (TLS 1.2)",
        },
        { parent },
    );
    return new aws.lb.Listener(
        `${name}-health-checks`,
        {
            loadBalancerArn: args.albArn,
            port: HEALTH_CHECK_PORT,
            protocol: "HTTPS",
            sslPolicy: HEALTH_CHECK_TLS_POLICY,
            certificateArn: args.certificateArn,
            defaultActions: [args.defaultAction],
            tags: args.tags,
        },
        { parent },
    );
}

/**
 * ip targets (the ALB reaches pod IPs directly); a candidate group only under canary/blue-green with a candidate image.
 * HTTPS to the pods, health checks too (issue #12: no hop carries plaintext). "The load balancer does not validate these
 * certificates. Therefore, you can use self-signed certificates", so a per-pod self-signed certificate is enough
 * (model/workloads.ts SERVED_TLS_ENV). HTTPS health checks fail against targets that support only TLS 1.3: the pods keep TLS 1.2.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#target-group-routing-configuration
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
function createTargetGroups(parent: pulumi.ComponentResource, name: string, args: EdgeArgs): TargetGroups {
    const candidate = args.releaseStrategy === "rolling" ? undefined : args.app.release.candidate;
    const targetGroups: TargetGroups = {};
    for (const served of Object.keys(SERVED_PORTS) as ServedName[]) {
        const key = served === "django-web" ? "djangoWeb" : "fastapiApi";
        const tracks: Track[] = candidate?.[key] ? ["stable", "candidate"] : ["stable"];
        for (const track of tracks) {
            targetGroups[`${served}:${track}`] = new aws.lb.TargetGroup(
                `${name}-${served}-${track}`,
                {
                    namePrefix: served === "django-web" ? "web-" : "api-",
                    targetType: "ip",
                    protocol: "HTTPS",
                    port: SERVED_PORTS[served],
                    vpcId: args.vpcId,
                    deregistrationDelay: 30,
                    healthCheck: {
                        path: "/readyz",
                        port: "traffic-port",
                        protocol: "HTTPS",
                        matcher: "200",
                        interval: 15,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                    tags: { ...(args.tags ?? {}), service: served, track },
                },
                { parent },
            );
        }
    }
    return targetGroups;
}
