/**
 * Data protection (seed 3, 9: "Encryption + Multi-AZ backups"): backups and snapshots,
 * deletion protection in production, S3 versioning and public access blocks.
 */
import { PolicyResource } from "@pulumi/policy";
import { bucketSettings } from "./encryption";
import { Guardrail, T, UNKNOWN, isSet, label, peek, resourceGuardrail, stackGuardrail } from "./lib";

export const rdsBackups = resourceGuardrail({
    name: "rds-backup-retention",
    description: "RDS primaries keep automated backups for at least 7 days and copy tags to snapshots.",
    remediation: "Set backupRetentionPeriod >= 7 (35 for point-in-time recovery over a month) and copyTagsToSnapshot: true.",
    concern: "data-protection",
    seed: "3.1, 9",
    why: "Point-in-time recovery is the answer to corruption that replication faithfully copies to the standby and the DR replica.",
    types: [T.rds, T.rdsCluster],
    check: ({ props }, report) => {
        if (isSet(props, "replicateSourceDb") || isSet(props, "replicationSourceIdentifier")) return;
        const days = peek(() => props.backupRetentionPeriod);
        if (days !== UNKNOWN && !(Number(days) >= 7)) report(`backupRetentionPeriod ${days ?? "(unset: 1 day)"} < 7`);
        if (props.copyTagsToSnapshot !== true) report("copyTagsToSnapshot is not true");
    },
});

export const cacheSnapshots = resourceGuardrail({
    name: "cache-snapshots",
    description: "Redis replication groups keep daily snapshots.",
    remediation: "Set snapshotRetentionLimit >= 1 (and a snapshotWindow outside peak hours).",
    concern: "data-protection",
    seed: "2, 9",
    why: "Celery's queues and sessions live in Redis; a snapshot lets the broker be rebuilt after a bad flush or failover.",
    types: [T.redis],
    check: ({ props }, report) => {
        const n = peek(() => props.snapshotRetentionLimit);
        if (n !== UNKNOWN && !(Number(n) >= 1)) report(`snapshotRetentionLimit ${n ?? "(unset: 0)"}: no snapshots`);
    },
});

export const deletionProtection = resourceGuardrail({
    name: "deletion-protection-in-production",
    description: "In production, databases, load balancers and buckets cannot be deleted by one mistaken update.",
    remediation: "RDS: deletionProtection true, skipFinalSnapshot false; ALB: enableDeletionProtection true; S3: forceDestroy false.",
    concern: "data-protection",
    seed: "3, 9",
    why: "A replace or destroy of a production data store is irreversible; protection forces a deliberate two-step change.",
    types: [T.rds, T.rdsCluster, T.lb, T.bucket, T.bucketV2],
    check: ({ type, props, environment }, report) => {
        if (environment !== "production") return;
        if (type === T.rds || type === T.rdsCluster) {
            if (props.deletionProtection !== true) report("deletionProtection is not true");
            if (props.skipFinalSnapshot === true) report("skipFinalSnapshot is true");
        } else if (type === T.lb) {
            if (props.enableDeletionProtection !== true) report("enableDeletionProtection is not true");
        } else if (props.forceDestroy === true) {
            report("forceDestroy is true");
        }
    },
});

export const s3Versioning = stackGuardrail({
    name: "s3-versioning",
    description: "Every S3 bucket has versioning enabled.",
    remediation: "Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status 'Enabled' (required for cross-region replication).",
    concern: "data-protection",
    seed: "1.3, 3.2",
    why: "Versioning protects documents from overwrite and deletion and is a prerequisite of S3 cross-region replication (seed 3.2).",
    types: [T.bucket, T.bucketV2, T.bucketVersioning, T.bucketVersioningV2],
    check: ({ graph }, report) => {
        for (const bucket of graph.ofType(T.bucket, T.bucketV2)) {
            const configs = bucketSettings(graph, bucket, [T.bucketVersioning, T.bucketVersioningV2]);
            const inline = peek(() => bucket.props.versioning?.enabled);
            const enabled = inline === true || configs.some((c) => peek(() => c.props.versioningConfiguration?.status) === "Enabled");
            if (!enabled) report(`bucket ${bucket.name} does not have versioning enabled`, bucket.urn);
        }
    },
});

const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3PublicAccessBlock = stackGuardrail({
    name: "s3-public-access-block",
    description: "Every S3 bucket has a public access block with all four settings on.",
    remediation:
        "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.",
    concern: "data-protection",
    seed: "4.2, 4.3",
    why: "Citizen documents must never become public through an ACL or bucket policy mistake.",
    types: [T.bucket, T.bucketV2, T.bucketPab],
    check: ({ graph }, report) => {
        for (const bucket of graph.ofType(T.bucket, T.bucketV2)) {
            const blocks = bucketSettings(graph, bucket, [T.bucketPab]);
            if (blocks.length === 0) {
                report(`bucket ${bucket.name} has no public access block`, bucket.urn);
                continue;
            }
            const off = PAB_FLAGS.filter((f) => !blocks.some((b) => peek(() => b.props[f]) === true));
            if (off.length > 0) report(`bucket ${bucket.name}: public access block leaves ${off.join(", ")} off`, bucket.urn);
        }
    },
});

export const dataProtectionPolicies: Guardrail[] = [rdsBackups, cacheSnapshots, deletionProtection, s3Versioning, s3PublicAccessBlock];

// ---------------------------------------------------------------------------------------------
// issue #11 (build 4): bucket settings the program already sets, now guarded by the pack too
// ---------------------------------------------------------------------------------------------

const BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";

export const s3AclsDisabled = stackGuardrail({
    name: "s3-acls-disabled",
    description: "Every S3 bucket disables ACLs (object ownership BucketOwnerEnforced): access is decided by policies alone.",
    remediation: "Add an aws.s3.BucketOwnershipControls for the bucket with rule.objectOwnership 'BucketOwnerEnforced' (SecureBucket does).",
    concern: "data-protection",
    seed: "4.2, 4.3",
    why: "With ACLs enabled an object can be shared by its writer's ACL, outside the bucket policy and its deny statements; AWS recommends disabling them (AWS S3 'Controlling ownership of objects and disabling ACLs', https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html).",
    types: [T.bucket, T.bucketV2, BUCKET_OWNERSHIP],
    check: ({ graph }, report) => {
        for (const bucket of graph.ofType(T.bucket, T.bucketV2)) {
            const controls = bucketSettings(graph, bucket, [BUCKET_OWNERSHIP]);
            const owners = controls.map((c) => peek(() => (c.props.rule as Record<string, unknown> | undefined)?.objectOwnership));
            if (owners.includes(UNKNOWN) || owners.includes("BucketOwnerEnforced")) continue;
            report(
                controls.length === 0
                    ? `bucket ${bucket.name} has no ownership controls (ACLs stay as the bucket was created)`
                    : `bucket ${bucket.name}: objectOwnership ${owners.map((o) => JSON.stringify(o)).join(", ")}: ACLs are enabled`,
                bucket.urn,
            );
        }
    },
});

dataProtectionPolicies.push(s3AclsDisabled);

export const rdsBackupsRetained = resourceGuardrail({
    name: "rds-backups-retained",
    description:
        "In production, RDS databases keep their automated backups when the instance is deleted, and read replicas keep at least 7 days of backups and copy tags to snapshots, ready for promotion.",
    remediation:
        "Set deleteAutomatedBackups: false in production (the provider's default is true); on read replicas set backupRetentionPeriod >= 7 and copyTagsToSnapshot: true.",
    concern: "data-protection",
    seed: "3.1, 9",
    why: "A mistaken delete must not take the point-in-time backups with it; a promoted DR replica is the primary from that moment and needs its own backups (RDS for PostgreSQL 14.1+ keeps them on replicas: AWS 'Working with read replicas for Amazon RDS for PostgreSQL', https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PostgreSQL.Replication.ReadReplicas.html; 'Retaining automated backups', https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html).",
    types: [T.rds],
    check: ({ props, environment }, report) => {
        // Outside production a stack may drop its backups with it (PostgresDatabase: deleteAutomatedBackups = !production).
        if (environment !== "production") return;
        const keep = peek(() => props.deleteAutomatedBackups);
        if (keep !== UNKNOWN && keep !== false)
            report(`deleteAutomatedBackups is ${JSON.stringify(keep ?? "(unset: true)")}: deleting the instance deletes its backups`);
        if (!isSet(props, "replicateSourceDb")) return;
        const days = peek(() => props.backupRetentionPeriod);
        if (days !== UNKNOWN && !(Number(days) >= 7)) report(`read replica: backupRetentionPeriod ${days ?? "(unset: 0)"} < 7: no backups once promoted`);
        if (peek(() => props.copyTagsToSnapshot) === false || props.copyTagsToSnapshot === undefined) report("read replica: copyTagsToSnapshot is not true");
    },
});

export const secretRecoveryWindow = resourceGuardrail({
    name: "secret-recovery-window",
    description: "Secrets Manager secrets are deleted with a recovery window of at least 7 days, never at once.",
    remediation: "Leave recoveryWindowInDays unset (30) or set 7-30; 0 deletes the secret with no way back.",
    concern: "data-protection",
    seed: "4.2, 9",
    why: "A database or cache credential deleted at once locks every client out and cannot be restored (AWS Secrets Manager 'Delete a secret', https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html).",
    types: [T.secret],
    check: ({ props }, report) => {
        const days = peek(() => props.recoveryWindowInDays);
        if (days !== UNKNOWN && days !== undefined && !(Number(days) >= 7)) report(`recoveryWindowInDays ${days}: deleted without a recovery window`);
    },
});

dataProtectionPolicies.push(rdsBackupsRetained, secretRecoveryWindow);

// ---------------------------------------------------------------------------------------------
// issue #11 (finding 20): a database or cache credential is rotated
// ---------------------------------------------------------------------------------------------

const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const CACHE_USER = "aws:elasticache/user:User";
/** What a credential's secret version is built from (a host, a user ARN): then the secret holds that store's credential. */
const CREDENTIAL_OF = [T.rds, T.rdsCluster, CACHE_USER, T.redis];
/** The longest rotation interval AWS Config's periodic rotation check accepts by default (maxDaysSinceRotation 90). */
export const MAX_ROTATION_DAYS = 90;

export const credentialSecretsRotated = stackGuardrail({
    name: "credential-secrets-rotated",
    description: `Every Secrets Manager secret holding a database or cache credential has rotation configured: a rotation function and a schedule of at most ${MAX_ROTATION_DAYS} days.`,
    remediation:
        "Add an aws.secretsmanager.SecretRotation for the secret with rotationLambdaArn (PostgresDatabase: AWS's SAR function; RedisCache: components/data/redisRotation.ts) and rotationRules.automaticallyAfterDays <= 90.",
    concern: "data-protection",
    seed: "4.2",
    why: "A credential that never changes stays valid for whoever once read it (a leaked state file, a departed operator, a pod's memory dump); AWS Security Hub SecretsManager.1 and AWS Config's secretsmanager-secret-periodic-rotation (default 90 days) flag it (https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html, https://docs.aws.amazon.com/config/latest/developerguide/secretsmanager-secret-periodic-rotation.html).",
    types: [T.secret, T.secretVersion, SECRET_ROTATION, ...CREDENTIAL_OF],
    check: ({ graph }, report) => {
        // Joined by URN dependencies (the version's value is secret, and unknown in preview): version -> secret, version -> store.
        const credentials = new Map<PolicyResource, PolicyResource[]>();
        for (const version of graph.ofType(T.secretVersion)) {
            const stores = ["secretString", "secretStringWo"].flatMap((k) => graph.refs(version, k, ...CREDENTIAL_OF));
            if (stores.length === 0) continue;
            for (const secret of graph.refs(version, "secretId", T.secret)) credentials.set(secret, [...(credentials.get(secret) ?? []), ...stores]);
        }
        for (const [secret, stores] of credentials) {
            const of = `secret ${secret.name} (credential of ${[...new Set(stores.map(label))].join(", ")})`;
            const rotations = graph.referrers(secret, [SECRET_ROTATION], "secretId");
            if (rotations.length === 0) {
                report(`${of} has no rotation: the credential never changes`, secret.urn);
                continue;
            }
            for (const rotation of rotations) {
                const fn = peek(() => rotation.props.rotationLambdaArn);
                const rules = peek(() => rotation.props.rotationRules as Record<string, unknown> | undefined);
                if (fn !== UNKNOWN && !fn && (rotation.propertyDependencies.rotationLambdaArn ?? []).length === 0)
                    report(`${of}: rotation ${rotation.name} names no rotation function`, rotation.urn);
                if (rules === UNKNOWN) continue;
                const days = peek(() => rules?.automaticallyAfterDays);
                const schedule = peek(() => rules?.scheduleExpression);
                if ((days === undefined || days === null) && (schedule === undefined || schedule === null))
                    report(`${of}: rotation ${rotation.name} has no schedule (rotationRules)`, rotation.urn);
                else if (typeof days === "number" && days > MAX_ROTATION_DAYS)
                    report(`${of}: rotated every ${days} days, more than ${MAX_ROTATION_DAYS}`, rotation.urn);
            }
        }
    },
});

dataProtectionPolicies.push(credentialSecretsRotated);
