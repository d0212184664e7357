/**
 * Configuration of the warm-standby DR site (seed 3): `hybrid-platform:dr` (valid and required only
 * for role dr) and `hybrid-platform:drMode` (top level, so a failover is `pulumi config set drMode active`).
 */
import { z } from "zod";
import { isPublicIpv4 } from "./cidr";
import { DEFAULTS } from "./defaults";
import { AWS_REGIONS } from "./regions";
import { REQUIRED_PRIMARY_OUTPUTS } from "./primaryOutputs";

/** The two states of the DR site: a warm standby replicating from prod, or the promoted, serving site. */
export const DR_MODES = ["standby", "active"] as const;
export type DrMode = (typeof DR_MODES)[number];

/** `hybrid-platform:drMode`: standby (replica, pilot light) or active (promoted, prod capacity, takes traffic). */
export const drModeSchema = z.enum(DR_MODES).meta({
    description: `DR site mode, role dr only: standby (replica, pilot light) or active (promoted, prod capacity, takes traffic; a failover is \`pulumi config set drMode active\`). None: ${DEFAULTS.drMode}.`,
});

/** "prod" or "org/hybrid-platform/prod" (Pulumi's fully qualified form). */
const stackName = z.string().regex(/^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.-]+$/, 'a stack name such as "prod" or "org/hybrid-platform/prod"');

const awsRegion = z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-2");

const healthCheckPath = z.string().regex(/^\/[\w\-./~%]*$/, "an absolute URL path such as /healthz");

const GSLB = DEFAULTS.dr.gslb;

const gslbSchema = z
    .strictObject({
        routing: z.enum(["weighted", "latency"]).default(GSLB.routing).meta({
            description: "How the GSLB shares the public hostname between AWS and on-prem: weighted or latency.",
            see: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html",
        }),
        healthCheckPath: healthCheckPath
            .default(GSLB.healthCheckPath)
            .meta({ description: "Absolute URL path the Route53 health checks request over HTTPS on every member." }),
        awsWeight: z
            .number()
            .int()
            .min(0)
            .max(255)
            .default(GSLB.awsWeight)
            .meta({ description: "Weight of the AWS member (the prod/DR failover pair) in weighted routing." }),
        onPrem: z
            .strictObject({
                address: z
                    .string()
                    .refine(isPublicIpv4, "a public IPv4 address (the on-prem DMZ load balancer)")
                    .meta({ description: "Public IPv4 address of the on-prem DMZ load balancer (an A record beside the AWS alias)." }),
                weight: z
                    .number()
                    .int()
                    .min(0)
                    .max(255)
                    .default(GSLB.onPrem.weight)
                    .meta({ description: "Weight of the on-prem member in weighted routing; 0: health-checked, takes traffic only if weights change." }),
                latencyRegion: awsRegion.optional().meta({
                    description: "AWS region nearest the data centre, for latency routing; must differ from primaryRegion. Required when routing is latency.",
                }),
            })
            .optional()
            .meta({ description: "The on-prem DMZ load balancer as a GSLB member. None: AWS only." }),
    })
    .superRefine((g, ctx) => {
        if (g.routing === "latency" && g.onPrem && g.onPrem.latencyRegion === undefined) {
            ctx.addIssue({ code: "custom", path: ["onPrem", "latencyRegion"], message: "an AWS region for the on-prem member (required by latency routing)" });
        }
    });

const DR = DEFAULTS.dr;

export const drSchema = z
    .strictObject({
        primaryStack: stackName.meta({
            description: 'The primary stack the DR site replicates, as a StackReference name ("prod" or "org/hybrid-platform/prod").',
        }),
        primaryRegion: awsRegion.meta({ description: "Region of the primary stack; must differ from this stack's aws:region." }),
        rpoMinutes: z.number().int().min(1).max(1440).default(DR.rpoMinutes).meta({ description: "Recovery point objective in minutes (seed: under 15)." }),
        rtoMinutes: z
            .number()
            .int()
            .min(5)
            .max(2880)
            .default(DR.rtoMinutes)
            .meta({ description: "Recovery time objective in minutes, longer than the RPO (seed: under 4 h)." }),
        databaseInstanceClass: z
            .string()
            .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.m5.xlarge")
            .default(DR.databaseInstanceClass)
            .meta({ description: "Instance class of the DR database (the same as prod, so a promoted replica carries prod load)." }),
        databaseParameterGroupFamily: z
            .string()
            .regex(/^postgres\d{2}$/, "a PostgreSQL parameter group family such as postgres16")
            .default(DR.databaseParameterGroupFamily)
            .meta({ description: "Parameter group family of prod's PostgreSQL version (a replica runs the source's version)." }),
        replicaLagAlarmSeconds: z
            .number()
            .int()
            .min(30)
            .default(DR.replicaLagAlarmSeconds)
            .meta({ description: "Alarm when RDS ReplicaLag exceeds this many seconds (under the RPO)." }),
        replicationLatencyAlarmSeconds: z
            .number()
            .int()
            .min(60)
            .default(DR.replicationLatencyAlarmSeconds)
            .meta({ description: "Alarm when S3 ReplicationLatency exceeds this many seconds (under the RPO)." }),
        gslb: gslbSchema
            .default({ routing: GSLB.routing, healthCheckPath: GSLB.healthCheckPath, awsWeight: GSLB.awsWeight })
            .meta({ description: "Global traffic management of the public hostname (Route53 failover prod -> DR, optional on-prem member)." }),
    })
    .superRefine((d, ctx) => {
        const rpoSeconds = d.rpoMinutes * 60;
        for (const key of ["replicaLagAlarmSeconds", "replicationLatencyAlarmSeconds"] as const) {
            if (d[key] >= rpoSeconds)
                ctx.addIssue({ code: "custom", path: [key], message: `a threshold under the RPO (${rpoSeconds} s) so the alarm fires before the RPO is lost` });
        }
        if (d.rtoMinutes <= d.rpoMinutes) ctx.addIssue({ code: "custom", path: ["rtoMinutes"], message: "an RTO longer than the RPO" });
        const onPremRegion = d.gslb.onPrem?.latencyRegion;
        if (d.gslb.routing === "latency" && onPremRegion === d.primaryRegion) {
            ctx.addIssue({
                code: "custom",
                path: ["gslb", "onPrem", "latencyRegion"],
                message: "a region other than primaryRegion (Route53 allows one latency record per region)",
            });
        }
    })
    .meta({ description: "DR site settings (seed 3), role dr only and required there." });

export type DrConfig = z.infer<typeof drSchema>;

/** The stack's DR mode; standby unless `drMode` says otherwise. */
export function drModeOf(cfg: { drMode?: DrMode }): DrMode {
    return cfg.drMode ?? DEFAULTS.drMode;
}

/** Offline-resolvable stack name: the last segment of "org/project/stack". */
export function shortStackName(name: string): string {
    return name.split("/").pop()!;
}

/**
 * Cross-field rules between the DR section and the rest of the config (called from the root schema):
 * role dr requires `dr` (and a primary region other than its own); role prod must not carry `dr` or `drMode`
 * (prod never references dr).
 */
export function checkDrRole(
    cfg: { role: string; dr?: DrConfig; drMode?: DrMode },
    region: string,
    ctx: { addIssue(issue: { code: "custom"; path: PropertyKey[]; message: string }): void },
    project: string,
): void {
    if (cfg.role === "dr") {
        if (cfg.dr === undefined)
            ctx.addIssue({ code: "custom", path: [project, "dr"], message: "a dr section (primaryStack, primaryRegion) for the dr role" });
        else if (cfg.dr.primaryRegion === region)
            ctx.addIssue({
                code: "custom",
                path: [project, "dr", "primaryRegion"],
                message: `a region other than aws:region ${region} (DR needs a second region)`,
            });
    } else {
        if (cfg.dr !== undefined)
            ctx.addIssue({ code: "custom", path: [project, "dr"], message: "nothing for the prod role (only a dr stack has a dr section)" });
        if (cfg.drMode !== undefined)
            ctx.addIssue({ code: "custom", path: [project, "drMode"], message: "nothing for the prod role (only a dr stack has a drMode)" });
    }
}

/** Outputs of the primary (prod) stack that the dr stack requires through its StackReference: derived from the contract in model/primaryOutputs.ts. */
export { REQUIRED_PRIMARY_OUTPUTS } from "./primaryOutputs";

/**
 * The primary-stack outputs missing from an outputs map (secret or unknown values count as
 * present). Given the DR region, `databaseSecretReplicas` must also hold that region (prod's
 * data.postgres.secretReplicaRegions); it is reported as `databaseSecretReplicas.<region>`.
 */
export function missingPrimaryOutputs(outputs: Readonly<Record<string, unknown>>, drRegion?: string): string[] {
    const missing: string[] = REQUIRED_PRIMARY_OUTPUTS.filter((k) => outputs[k] === undefined || outputs[k] === null);
    const replicas = outputs.databaseSecretReplicas;
    if (drRegion !== undefined && typeof replicas === "object" && replicas !== null && !(drRegion in replicas))
        missing.push(`databaseSecretReplicas.${drRegion}`);
    return missing;
}

/** One region's replica of the primary's database master secret, as prod exports it (`databaseSecretReplicas`). */
export interface SecretReplicaOutput {
    readonly secretArn: string;
    readonly keyArn: string;
}

/**
 * The DR region's replica of the primary's master secret; throws, naming the prod config key to
 * set, when prod does not replicate its secret to that region (a real `pulumi up` stops there).
 */
export function secretReplicaFor(
    replicas: Readonly<Record<string, SecretReplicaOutput>> | undefined,
    region: string,
    primaryStack: string,
): SecretReplicaOutput {
    const replica = replicas?.[region];
    if (!replica) {
        throw new Error(
            `${primaryStack} does not replicate its database secret to ${region}: add ${region} to data.postgres.secretReplicaRegions there and run pulumi up on it first`,
        );
    }
    return replica;
}
