import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_ROTATION_APP } from "../../model/versions";
import * as random from "@pulumi/random";
import { policyJson, sourceAccount, trust } from "../../model/iam";
import { componentId } from "../../model/names";
import { HTTPS_PORT, POSTGRES_PORT } from "../../model/ports";
import { arnInRegion } from "../../model/regions";
import { databaseStorage } from "../../model/storage";
import { ArgErrors, validateArgs } from "../argErrors";
import { DEFAULTS } from "../../model/defaults";

const PG = DEFAULTS.data.postgres;

/** A region the master-password secret is replicated to, with the CMK that encrypts it there. */
export interface SecretReplica {
    /** Region of the replica, e.g. the DR region. */
    readonly region: string;
    /** CMK in that region. */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** Characters RDS refuses in a master password ("/", "@", '"' and space) plus the quote and backslash the rotation function avoids. */
export const RDS_PASSWORD_EXCLUDED = "/@\"' \\";
/** Specials of the generated password: printable ASCII without RDS_PASSWORD_EXCLUDED. */
export const RDS_PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?.,^~";

export interface PostgresDatabaseArgs {
    /** VPC of the isolated subnets. Required. */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Isolated subnets (one per AZ) for the subnet group: at least 2, in different AZs (RDS requires two for Multi-AZ). Required.
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group whose members may connect (port 5432); nothing else is admitted. Required. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK for storage, Performance Insights and the log exports' data. Required. */
    readonly storageKeyArn: pulumi.Input<string>;
    /** CMK for the Secrets Manager secret holding the master password. Required. */
    readonly secretKeyArn: pulumi.Input<string>;
    /** Region of the database (the rotation function's Secrets Manager endpoint). Required. */
    readonly region: string;
    /** The stack's account (stacks/platform.ts looks it up once): the Enhanced Monitoring role's confused-deputy condition. Required. */
    readonly accountId: pulumi.Input<string>;
    /** Subnets of the rotation function: the private tier, which reaches the database and the Secrets Manager endpoint. At least one. Required. */
    readonly rotationSubnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints (the rotation function calls Secrets Manager through it). Required. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /**
     * Days between master-password rotations, 1 to 1000.
     * @default 30
     * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
     */
    readonly passwordRotationDays?: number;
    /** Generation of the password Pulumi sets, a whole number from 1; raising it sets a freshly generated one (break glass). @default 1 */
    readonly masterPasswordVersion?: number;
    /**
     * Regions the master-password secret is replicated to (the DR site), each once and none the database's own region.
     * @default none
     * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
     */
    readonly secretReplicas?: SecretReplica[];
    /** CMK for the CloudWatch log groups of the log exports. Required. */
    readonly logKeyArn: pulumi.Input<string>;
    /**
     * Instance class ("db.<family>.<size>").
     * @default db.m5.xlarge
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html
     */
    readonly instanceClass?: string;
    /**
     * Pinned PostgreSQL major.minor version (the parameter group family follows the major).
     * @default 16.6
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
     */
    readonly engineVersion?: string;
    /** Storage on day one, GB (gp3: 20 to 65536). @default 1000 */
    readonly initialStorageGb?: number;
    /** Growth per year, GB, 0 or more. @default 200 */
    readonly annualGrowthGb?: number;
    /** Years of growth the autoscaling ceiling covers. @default 5 */
    readonly growthYears?: number;
    /** Percent of headroom above the projected size. @default 20 */
    readonly storageHeadroomPercent?: number;
    /**
     * Automated backup (PITR) retention, days, 1 to 35 (a replica source needs backups on).
     * @default 14
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
     */
    readonly backupRetentionDays?: number;
    /** Daily backup window, UTC ("hh:mm-hh:mm", at least 30 minutes, not overlapping the maintenance window). @default 01:00-02:00 */
    readonly backupWindow?: string;
    /** Weekly maintenance window, UTC ("ddd:hh:mm-ddd:hh:mm"). @default sun:03:00-sun:04:00 */
    readonly maintenanceWindow?: string;
    /**
     * Enhanced Monitoring interval, seconds: 0 (off), 1, 5, 10, 15, 30 or 60.
     * @default 15
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * Performance Insights retention, days: 7, or a multiple of 31 up to 731.
     * @default 7
     * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.cost.html
     */
    readonly performanceInsightsRetentionDays?: number;
    /** Statements slower than this are logged, ms (log_min_duration_statement), 0 or more. @default 1000 */
    readonly slowStatementMs?: number;
    /** Production: deletion protection, a final snapshot and a 30-day secret recovery window. @default true */
    readonly production?: boolean;
    /** Retention of the exported PostgreSQL logs, days: a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653). @default 365 */
    readonly logRetentionDays?: number;
    /** Tags. @default none (provider default tags still apply) */
    readonly tags?: Record<string, string>;
}

/** Enhanced Monitoring intervals RDS accepts, seconds (0 is off). */
export const RDS_MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

/** Log types RDS PostgreSQL exports to CloudWatch. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * RDS PostgreSQL, Multi-AZ with a synchronous standby (seed 1.3, 2), in the isolated subnets,
 * reachable on 5432 only from the data-clients security group. Encrypted with a CMK, TLS
 * enforced by the parameter group, IAM authentication on, storage autoscaling sized from the
 * capacity plan (seed 7), PITR backups, Performance Insights, Enhanced Monitoring and log
 * exports to CMK-encrypted log groups.
 *
 * The master password is generated here, handed to RDS and to a CMK-encrypted Secrets Manager
 * secret as write-only values (never read back, never in outputs or the plan; Pulumi keeps the
 * initial value in the state only as an encrypted secret, pulumi-terraform-bridge#3201, and the
 * first rotation makes that copy worthless), rotated every `passwordRotationDays` by AWS's
 * rotation function, and replicated to the DR region. Not RDS-managed (`manageMasterUserPassword`):
 * RDS refuses a read replica of a source whose password it manages, and its secret cannot be
 * replicated, so the DR site would have neither a replica nor credentials.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly identifier: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    /** Log groups of the exported PostgreSQL logs (connections, DDL) and of the password rotation: audit-relevant. */
    readonly logGroupNames: pulumi.Output<string>[];
    /** DbiResourceId: what IAM policies for `rds-db:connect` name. */
    readonly resourceId: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly masterSecretArn: pulumi.Output<string>;
    /** ARN of the master secret's replica per replica region. */
    readonly masterSecretReplicaArns: Record<string, pulumi.Output<string>>;
    /** Lambda that rotates the master password. */
    readonly rotationFunctionArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const identifier = componentId(name, pulumi.getStack());
        validateArgs(`PostgresDatabase ${name}`, (e) => validatePostgresArgs(e, args, identifier));
        super("hybrid:data:PostgresDatabase", name, {}, opts);
        const child = { parent: this };
        const tags = args.tags ?? {};
        const production = args.production ?? true;
        const engineVersion = args.engineVersion ?? PG.engineVersion;
        const major = engineVersion.split(".")[0];

        const storage = databaseStorage({
            initialGb: args.initialStorageGb ?? PG.initialStorageGb,
            annualGrowthGb: args.annualGrowthGb ?? PG.annualGrowthGb,
            years: args.growthYears ?? DEFAULTS.capacity.growthYears,
            headroomPercent: args.storageHeadroomPercent,
        });
        this.allocatedStorage = storage.allocatedStorage;
        this.maxAllocatedStorage = storage.maxAllocatedStorage;

        const subnetGroup = new aws.rds.SubnetGroup(
            name,
            { name: identifier, description: `Isolated subnets of ${identifier}`, subnetIds: args.subnetIds, tags },
            child,
        );

        const sg = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: `PostgreSQL ${identifier}: ${POSTGRES_PORT} from data clients only`,
                tags: { ...tags, Name: `${identifier}-postgres` },
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-clients`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                referencedSecurityGroupId: args.clientSecurityGroupId,
                description: "PostgreSQL from data clients",
            },
            child,
        );
        this.securityGroupId = sg.id;

        const parameterGroup = new aws.rds.ParameterGroup(
            name,
            {
                name: identifier,
                family: `postgres${major}`,
                description: `TLS-only, audit-friendly logging for ${identifier}`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    // Seed 4.2: TLS 1.3 for internal communications.
                    { name: "ssl_min_protocol_version", value: "TLSv1.3" },
                    { name: "log_connections", value: "1" },
                    { name: "log_disconnections", value: "1" },
                    { name: "log_lock_waits", value: "1" },
                    { name: "log_statement", value: "ddl" },
                    { name: "log_min_duration_statement", value: String(args.slowStatementMs ?? PG.slowStatementMs) },
                    { name: "log_temp_files", value: "0" },
                    { name: "log_autovacuum_min_duration", value: "10000" },
                    { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
                ],
                tags,
            },
            child,
        );

        // Pre-created so the exports land in CMK-encrypted groups with a retention, not RDS's unencrypted, never-expiring defaults.
        const logGroups = POSTGRES_LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${log}`,
                    {
                        name: `/aws/rds/instance/${identifier}/${log}`,
                        retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
                        kmsKeyId: args.logKeyArn,
                        tags,
                    },
                    child,
                ),
        );

        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `Enhanced Monitoring of ${identifier}`,
                assumeRolePolicy: pulumi
                    .output(args.accountId)
                    .apply((accountId) => policyJson([trust({ Service: "monitoring.rds.amazonaws.com" }, "sts:AssumeRole", sourceAccount(accountId))])),
                tags,
            },
            child,
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: monitoringRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
            child,
        );

        const passwordVersion = args.masterPasswordVersion ?? PG.masterPasswordVersion;
        const rotationDays = args.passwordRotationDays ?? PG.passwordRotationDays;
        const password = new random.RandomPassword(
            `${name}-master`,
            {
                length: 40,
                special: true,
                overrideSpecial: RDS_PASSWORD_SPECIALS,
                minSpecial: 2,
                minNumeric: 2,
                minUpper: 2,
                minLower: 2,
                keepers: { version: String(passwordVersion) },
            },
            child,
        );
        const secret = new aws.secretsmanager.Secret(
            `${name}-master`,
            {
                name: `${identifier}/master`,
                description: `Master credentials of ${identifier} (rotated every ${rotationDays} days)`,
                kmsKeyId: args.secretKeyArn,
                recoveryWindowInDays: production ? 30 : 7,
                replicas: (args.secretReplicas ?? []).map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })),
                tags,
            },
            child,
        );

        const db = new aws.rds.Instance(
            name,
            {
                identifier,
                engine: "postgres",
                engineVersion,
                // Pinned: minor upgrades happen when the config changes, in the maintenance window.
                autoMinorVersionUpgrade: false,
                allowMajorVersionUpgrade: false,
                instanceClass: args.instanceClass ?? PG.instanceClass,
                multiAz: true,
                storageType: "gp3",
                allocatedStorage: storage.allocatedStorage,
                maxAllocatedStorage: storage.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: args.storageKeyArn,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                publiclyAccessible: false,
                port: POSTGRES_PORT,
                parameterGroupName: parameterGroup.name,
                username: MASTER_USERNAME,
                passwordWo: password.result,
                passwordWoVersion: passwordVersion,
                iamDatabaseAuthenticationEnabled: true,
                backupRetentionPeriod: args.backupRetentionDays ?? PG.backupRetentionDays,
                backupWindow: args.backupWindow ?? PG.backupWindow,
                maintenanceWindow: args.maintenanceWindow ?? PG.maintenanceWindow,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: !production,
                deletionProtection: production,
                skipFinalSnapshot: !production,
                finalSnapshotIdentifier: production ? `${identifier}-final` : undefined,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.storageKeyArn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? PG.performanceInsightsRetentionDays,
                monitoringInterval: args.monitoringIntervalSeconds ?? PG.monitoringIntervalSeconds,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
                caCertIdentifier: "rds-ca-rsa2048-g1",
                applyImmediately: false,
                tags,
            },
            // Production: `pulumi destroy` or a replacing change must be an explicit decision.
            { parent: this, dependsOn: [...logGroups, monitoringPolicy], protect: production },
        );

        // The rotation function's format (engine, host, username, password, dbname, port); written once per password generation.
        const secretVersion = new aws.secretsmanager.SecretVersion(
            `${name}-master`,
            {
                secretId: secret.id,
                secretStringWo: pulumi.all([password.result, db.address, db.port]).apply(([pw, host, port]) =>
                    JSON.stringify({
                        engine: "postgres",
                        host,
                        username: MASTER_USERNAME,
                        password: pw,
                        dbname: "postgres",
                        port,
                        dbInstanceIdentifier: identifier,
                    }),
                ),
                secretStringWoVersion: passwordVersion,
            },
            // Rotation moves the AWSCURRENT label to its own versions; Pulumi must not move it back.
            { parent: this, ignoreChanges: ["versionStages"] },
        );
        const rotation = this.rotation(name, identifier, args, sg.id, tags);
        new aws.secretsmanager.SecretRotation(
            `${name}-master`,
            { secretId: secret.id, rotationLambdaArn: rotation.functionArn, rotationRules: { automaticallyAfterDays: rotationDays } },
            { parent: this, dependsOn: [secretVersion, ...rotation.dependsOn] },
        );
        this.rotationFunctionArn = rotation.functionArn;

        this.arn = db.arn;
        this.identifier = db.identifier;
        this.endpoint = db.endpoint;
        this.address = db.address;
        this.resourceId = db.resourceId;
        this.logGroupNames = [...logGroups.map((g) => g.name), rotation.logGroupName];
        this.port = db.port;
        this.masterSecretArn = secret.arn;
        this.masterSecretReplicaArns = Object.fromEntries(
            (args.secretReplicas ?? []).map((r) => [r.region, secret.arn.apply((arn) => arnInRegion(arn, r.region))]),
        );
        this.keyArn = pulumi.output(args.storageKeyArn);
        this.registerOutputs({
            arn: this.arn,
            identifier: this.identifier,
            endpoint: this.endpoint,
            securityGroupId: this.securityGroupId,
            masterSecretArn: this.masterSecretArn,
            masterSecretReplicaArns: this.masterSecretReplicaArns,
            rotationFunctionArn: this.rotationFunctionArn,
            keyArn: this.keyArn,
        });
    }

    /**
     * AWS's rotation function in the private tier: its own security group, admitted by the
     * database on 5432 and reaching only the database and the interface endpoints; its log group
     * pre-created with the CMK and a retention (Lambda's default group has neither).
     */
    private rotation(
        name: string,
        identifier: string,
        args: PostgresDatabaseArgs,
        databaseSecurityGroupId: pulumi.Output<string>,
        tags: Record<string, string>,
    ) {
        const child = { parent: this };
        const functionName = `${identifier}-rotation`;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-rotation`,
            {
                vpcId: args.vpcId,
                description: `Password rotation of ${identifier}: PostgreSQL and the AWS API endpoints only`,
                tags: { ...tags, Name: functionName },
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-rotation-to-database`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                referencedSecurityGroupId: databaseSecurityGroupId,
                description: "PostgreSQL: ALTER USER",
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-rotation-to-endpoints`,
            {
                securityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: HTTPS_PORT,
                toPort: HTTPS_PORT,
                referencedSecurityGroupId: args.apiEndpointSecurityGroupId,
                description: "Secrets Manager and KMS through the VPC endpoints",
            },
            child,
        );
        const ingress = new aws.vpc.SecurityGroupIngressRule(
            `${name}-from-rotation`,
            {
                securityGroupId: databaseSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                referencedSecurityGroupId: sg.id,
                description: "PostgreSQL from the password rotation function",
            },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-rotation`,
            {
                name: `/aws/lambda/${functionName}`,
                retentionInDays: args.logRetentionDays ?? DEFAULTS.observability.logRetentionDays,
                kmsKeyId: args.logKeyArn,
                tags,
            },
            child,
        );
        const app = new aws.serverlessrepository.CloudFormationStack(
            `${name}-rotation`,
            {
                name: functionName,
                applicationId: POSTGRES_ROTATION_APP.applicationId,
                semanticVersion: POSTGRES_ROTATION_APP.semanticVersion,
                // The template creates the function's role and Secrets Manager's permission to invoke it.
                capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
                parameters: {
                    functionName,
                    endpoint: `https://secretsmanager.${args.region}.amazonaws.com`,
                    vpcSubnetIds: pulumi.all(args.rotationSubnetIds).apply((ids) => ids.join(",")),
                    vpcSecurityGroupIds: sg.id,
                    kmsKeyArn: args.secretKeyArn,
                    excludeCharacters: RDS_PASSWORD_EXCLUDED,
                },
                tags,
            },
            { parent: this, dependsOn: [logGroup] },
        );
        return { functionArn: app.outputs.apply((o) => o["RotationLambdaARN"]), dependsOn: [ingress], logGroupName: logGroup.name };
    }
}

/** The master user, whose credentials the master secret holds. */
export const MASTER_USERNAME = "platform_admin";

/** What RDS, Secrets Manager or CloudWatch would refuse at deploy time, checked before anything registers. */
function validatePostgresArgs(e: ArgErrors, args: PostgresDatabaseArgs, identifier: string): void {
    // RDS: 1-63 letters, digits and hyphens, a letter first, no "--", no trailing hyphen.
    e.check(
        /^[a-z][a-z0-9-]{0,62}$/.test(identifier) && !identifier.includes("--") && !identifier.endsWith("-"),
        "name",
        `makes the identifier ${identifier}, which RDS refuses`,
    );
    e.atLeast(args.subnetIds, 2, "subnetIds", "subnets (a Multi-AZ subnet group spans at least two AZs)");
    e.atLeast(args.rotationSubnetIds, 1, "rotationSubnetIds", "subnets (the rotation function runs in a VPC)");
    e.integer(args.passwordRotationDays, 1, 1000, "passwordRotationDays");
    e.integer(args.masterPasswordVersion, 1, Number.MAX_SAFE_INTEGER, "masterPasswordVersion");
    e.integer(args.backupRetentionDays, 1, 35, "backupRetentionDays");
    e.check(
        args.engineVersion === undefined || /^\d+\.\d+$/.test(args.engineVersion),
        "engineVersion",
        `${args.engineVersion} is not a pinned major.minor version such as 16.6`,
    );
    e.check(
        args.instanceClass === undefined || /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(args.instanceClass),
        "instanceClass",
        `${args.instanceClass} is not an RDS instance class such as db.m5.xlarge`,
    );
    const interval = args.monitoringIntervalSeconds;
    e.check(
        interval === undefined || (RDS_MONITORING_INTERVALS as readonly number[]).includes(interval),
        "monitoringIntervalSeconds",
        `${interval} is not an interval RDS accepts (${RDS_MONITORING_INTERVALS.join(", ")})`,
    );
    const pi = args.performanceInsightsRetentionDays;
    e.check(
        pi === undefined || pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 731),
        "performanceInsightsRetentionDays",
        `${pi} is not 7 or a multiple of 31 up to 731`,
    );
    e.check(
        args.slowStatementMs === undefined || (Number.isInteger(args.slowStatementMs) && args.slowStatementMs >= 0),
        "slowStatementMs",
        `${args.slowStatementMs} is not a whole number of milliseconds`,
    );
    e.logRetention(args.logRetentionDays, "logRetentionDays");
    const regions = (args.secretReplicas ?? []).map((r) => r.region);
    regions.forEach((region, i) => {
        e.check(region !== args.region, `secretReplicas[${i}].region`, `${region} is the database's own region; a replica must be elsewhere`);
        e.check(regions.indexOf(region) === i, `secretReplicas[${i}].region`, `${region} is listed twice`);
    });
}
