import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isPublicIpv4 } from "../../model/cidr";
import { DrMode } from "../../model/drConfig";
import { HEALTH_CHECK_PORT } from "../../model/ports";
import { validateArgs } from "../argErrors";
import { DEFAULTS } from "../../model/defaults";

const GSLB = DEFAULTS.dr.gslb;
/** Route 53 checks every 10 s and fails a member after 3 misses (30 s): the detection term of the RTO (tools/report/drObjectives.ts). */
export const GSLB_HEALTH_CHECK = { requestInterval: 10, failureThreshold: 3 } as const;
/** TTL of the on-prem member's A record; the alias records take the ALB's 60 s TTL. */
export const GSLB_RECORD_TTL_SECONDS = 60;

/** An ALB as a Route53 alias target. */
export interface AliasTarget {
    /** The load balancer's DNS name. */
    readonly dnsName: pulumi.Input<string>;
    /** The load balancer's canonical hosted zone id. */
    readonly zoneId: pulumi.Input<string>;
}

export interface GlobalTrafficArgs {
    /**
     * Existing public hosted zone (looked up by name, not created: its delegation outlives any stack). Required.
     * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/AboutHZWorkingWith.html
     */
    readonly zoneName: string;
    /** The citizen portal's public hostname, inside zoneName. Required. */
    readonly hostname: string;
    /** The prod ALB (primary region). Required. */
    readonly primary: AliasTarget;
    /** The DR ALB (this region). Required. */
    readonly secondary: AliasTarget;
    /**
     * standby: prod is the failover PRIMARY, DR the SECONDARY; active: the PRIMARY record points at DR and there is no SECONDARY (prod fenced off).
     * @default standby
     * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
     */
    readonly mode?: DrMode;
    /**
     * How AWS and on-prem share the hostname: weighted or latency.
     * @default weighted
     * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html
     */
    readonly routing?: "weighted" | "latency";
    /** Weight (0-255) of the AWS member in weighted routing. @default 100 */
    readonly awsWeight?: number;
    /** Region of the AWS member in latency routing. Required for latency routing. */
    readonly awsLatencyRegion?: string;
    /** Absolute HTTPS path every health check requests. @default /healthz */
    readonly healthCheckPath?: string;
    /** The on-prem DMZ load balancer as a GSLB member. @default none */
    readonly onPrem?: {
        /** Public IPv4 address. */
        readonly address: string;
        /** Weight (0-255) in weighted routing. @default 0 (last resort: answered only when every AWS member is unhealthy) */
        readonly weight?: number;
        /** AWS region nearest the data centre, other than awsLatencyRegion. Required for latency routing. */
        readonly latencyRegion?: string;
    };
}

/**
 * Global traffic management (seed 1.4, 3.2) for the public hostname, in Route53:
 *  - `cloud.<hostname>`: a failover pair, PRIMARY the prod ALB and SECONDARY the DR ALB, each with an
 *    HTTPS health check on the ALB itself and evaluate-target-health;
 *  - `<hostname>`: the GSLB set, weighted or latency, whose members are the AWS failover pair (an alias
 *    to `cloud.<hostname>`) and the health-checked on-prem DMZ endpoint.
 * Route53 answers from its global data plane and its health checkers act on their own, so a regional
 * outage flips traffic without any deployment; these records belong to the dr stack.
 */
export class GlobalTraffic extends pulumi.ComponentResource {
    readonly zoneId: pulumi.Output<string>;
    readonly cloudHostname: string;
    readonly primaryHealthCheckId: pulumi.Output<string>;
    readonly secondaryHealthCheckId: pulumi.Output<string>;
    readonly onPremHealthCheckId?: pulumi.Output<string>;

    constructor(name: string, args: GlobalTrafficArgs, opts?: pulumi.ComponentResourceOptions) {
        const routing = args.routing ?? GSLB.routing;
        validateArgs(`GlobalTraffic ${name}`, (e) => {
            e.check(
                args.hostname === args.zoneName || args.hostname.endsWith(`.${args.zoneName}`),
                "hostname",
                `${args.hostname} is not inside the zone ${args.zoneName}`,
            );
            e.integer(args.awsWeight, 0, 255, "awsWeight");
            e.check(
                args.healthCheckPath === undefined || args.healthCheckPath.startsWith("/"),
                "healthCheckPath",
                `${args.healthCheckPath} is not an absolute path`,
            );
            e.check(routing !== "latency" || args.awsLatencyRegion !== undefined, "awsLatencyRegion", "is required by latency routing");
            const onPrem = args.onPrem;
            if (onPrem) {
                e.check(isPublicIpv4(onPrem.address), "onPrem.address", `${onPrem.address} is not a public IPv4 address`);
                e.integer(onPrem.weight, 0, 255, "onPrem.weight");
                e.check(routing !== "latency" || onPrem.latencyRegion !== undefined, "onPrem.latencyRegion", "is required by latency routing");
                e.check(
                    routing !== "latency" || onPrem.latencyRegion !== args.awsLatencyRegion,
                    "onPrem.latencyRegion",
                    "must differ from awsLatencyRegion (Route53 allows one latency record per region)",
                );
            }
        });
        super("hybrid:dns:GlobalTraffic", name, {}, opts);
        const mode = args.mode ?? DEFAULTS.drMode;
        const path = args.healthCheckPath ?? GSLB.healthCheckPath;
        const zoneId = aws.route53.getZoneOutput({ name: args.zoneName, privateZone: false }, { parent: this }).zoneId;
        const cloudHostname = `cloud.${args.hostname}`;

        const check = (id: string, target: { fqdn?: pulumi.Input<string>; ipAddress?: string }, port: number) =>
            new aws.route53.HealthCheck(
                `${name}-${id}`,
                {
                    type: "HTTPS",
                    ...target,
                    port,
                    resourcePath: path,
                    enableSni: true,
                    ...GSLB_HEALTH_CHECK,
                    measureLatency: true,
                    tags: { Name: `${args.hostname} ${id}` },
                },
                { parent: this },
            );
        // Checks target each ALB directly: checking the public hostname would follow the failover itself. On the ALB's
        // listener for Route53's checkers, which negotiate TLS 1.0-1.2 only, never the citizen listener's TLS 1.3
        // (components/app/edge.ts; https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
        const primaryCheck = check("primary", { fqdn: args.primary.dnsName }, HEALTH_CHECK_PORT);
        const secondaryCheck = check("secondary", { fqdn: args.secondary.dnsName }, HEALTH_CHECK_PORT);

        const failover = (id: string, role: "PRIMARY" | "SECONDARY", target: AliasTarget, healthCheck: aws.route53.HealthCheck) =>
            new aws.route53.Record(
                `${name}-${id}`,
                {
                    zoneId,
                    name: cloudHostname,
                    type: "A",
                    setIdentifier: id,
                    failoverRoutingPolicies: [{ type: role }],
                    aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }],
                    healthCheckId: healthCheck.id,
                },
                { parent: this },
            );
        // Active: the promoted DR database is the only writer, so prod must get no traffic (no split brain):
        // the PRIMARY record is re-pointed in place at DR and the SECONDARY removed. Fail-back is a planned change.
        const serving = mode === "standby" ? { target: args.primary, check: primaryCheck } : { target: args.secondary, check: secondaryCheck };
        const pair = [failover("primary", "PRIMARY", serving.target, serving.check)];
        if (mode === "standby") pair.push(failover("secondary", "SECONDARY", args.secondary, secondaryCheck));

        const member = (id: string, weight: number | undefined, region: string | undefined) =>
            routing === "weighted"
                ? { setIdentifier: id, weightedRoutingPolicies: [{ weight: weight ?? 0 }] }
                : { setIdentifier: id, latencyRoutingPolicies: [{ region: region! }] };
        new aws.route53.Record(
            `${name}-aws`,
            {
                zoneId,
                name: args.hostname,
                type: "A",
                ...member("aws", args.awsWeight ?? GSLB.awsWeight, args.awsLatencyRegion),
                // The failover record's own output, not its name as a string: Route53 rejects an alias to a record set that does
                // not exist yet, and only the output makes this record wait for the pair (dependsOn: both of its members).
                // @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
                aliases: [{ name: pair[0].fqdn, zoneId, evaluateTargetHealth: true }],
            },
            { parent: this, dependsOn: pair },
        );
        if (args.onPrem) {
            // The DMZ load balancer's port for these checkers, as on the ALB: its 443 is TLS 1.3 only, which they cannot
            // negotiate (issue #16: ansible/roles/dmz_lb answers the health path there, TLS 1.2 admitted).
            const onPremCheck = check("onprem", { ipAddress: args.onPrem.address, fqdn: args.hostname }, HEALTH_CHECK_PORT);
            new aws.route53.Record(
                `${name}-onprem`,
                {
                    zoneId,
                    name: args.hostname,
                    type: "A",
                    ...member("onprem", args.onPrem.weight ?? GSLB.onPrem.weight, args.onPrem.latencyRegion),
                    ttl: GSLB_RECORD_TTL_SECONDS,
                    records: [args.onPrem.address],
                    healthCheckId: onPremCheck.id,
                },
                { parent: this },
            );
            this.onPremHealthCheckId = onPremCheck.id;
        }
        this.zoneId = zoneId;
        this.cloudHostname = cloudHostname;
        this.primaryHealthCheckId = primaryCheck.id;
        this.secondaryHealthCheckId = secondaryCheck.id;
        this.registerOutputs({ zoneId, primaryHealthCheckId: this.primaryHealthCheckId, secondaryHealthCheckId: this.secondaryHealthCheckId });
    }
}
