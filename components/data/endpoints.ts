/**
 * The contract between the data tier and the workloads that use it (CDK's `IDatabaseInstance`
 * pattern): where the data lives, which security group the data tier admits, and the IAM
 * statements a runtime workload needs, instead of a bundle of loose strings filled by hand in
 * each stack. Implemented by the primary `DataTier` and by the DR data side (DrReplica + WarmCache).
 */
import * as pulumi from "@pulumi/pulumi";
import { Statement, allow, viaService } from "../../model/iam";

/** What a runtime workload touches beyond its secrets. */
export interface RuntimeNeeds {
    /** Read, write and delete citizen documents (S3 bucket and its CMK, through S3 only). */
    readonly documents: boolean;
}

export interface DataEndpoints {
    /** PostgreSQL host name, without the port (the app's DATABASE_HOST). */
    readonly databaseHost: pulumi.Output<string>;
    /** PostgreSQL port. */
    readonly databasePort: number;
    /** Redis configuration endpoint host name, without the port (REDIS_HOST). */
    readonly redisHost: pulumi.Output<string>;
    /** Redis port. */
    readonly redisPort: number;
    /** Secrets Manager secret holding the database credentials the app reads. */
    readonly databaseSecretArn: pulumi.Output<string>;
    /** Secrets Manager secret holding the Redis RBAC user's password. */
    readonly redisAuthSecretArn: pulumi.Output<string>;
    /** The citizen documents bucket (DOCUMENTS_BUCKET). */
    readonly documentsBucketName: pulumi.Output<string>;
    readonly documentsBucketArn: pulumi.Output<string>;
    /** Security group the database and Redis security groups admit; attach it to every client (worker nodes). */
    readonly clientSecurityGroupId: pulumi.Output<string>;
    /** The IAM statements a runtime workload needs for `needs`, in the region of the data. */
    grantRuntime(needs: RuntimeNeeds): pulumi.Output<Statement[]>;
}

/** Resolved inputs of `runtimeStatements`. */
export interface RuntimeGrantInputs {
    readonly region: string;
    /** Secrets the workload reads (database and Redis credentials). */
    readonly secretArns: readonly string[];
    /** CMKs encrypting those secrets; decrypt is allowed through Secrets Manager only. Empty for aws/secretsmanager. */
    readonly secretsKeyArns: readonly string[];
    readonly documentsBucketArn: string;
    readonly documentsKeyArn: string;
}

/** Least privilege for a runtime workload: its secrets, their keys via Secrets Manager, and (if needed) the documents via S3. Pure. */
export function runtimeStatements(inputs: RuntimeGrantInputs, needs: RuntimeNeeds): Statement[] {
    return [
        allow("RuntimeSecrets", ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], [...inputs.secretArns]),
        ...(inputs.secretsKeyArns.length > 0
            ? [allow("SecretsKey", ["kms:Decrypt"], [...inputs.secretsKeyArns], viaService("secretsmanager", inputs.region))]
            : []),
        ...(needs.documents
            ? [
                  allow("DocumentsList", ["s3:ListBucket"], [inputs.documentsBucketArn]),
                  allow("DocumentsObjects", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], [`${inputs.documentsBucketArn}/*`]),
                  allow("DocumentsKey", ["kms:Decrypt", "kms:GenerateDataKey"], [inputs.documentsKeyArn], viaService("s3", inputs.region)),
              ]
            : []),
    ];
}

/** The fields of a `DataEndpoints` besides `grantRuntime`, plus what the grant needs. */
export interface DataEndpointFields extends Omit<DataEndpoints, "grantRuntime"> {
    readonly region: string;
    readonly documentsKeyArn: pulumi.Input<string>;
    readonly secretsKeyArns: pulumi.Input<string>[];
}

/** A `DataEndpoints` over its fields: both data sides build theirs with this, so the grant is written once. */
export function dataEndpoints(fields: DataEndpointFields): DataEndpoints {
    const { region, documentsKeyArn, secretsKeyArns, ...endpoints } = fields;
    return {
        ...endpoints,
        grantRuntime: (needs) =>
            pulumi
                .all([
                    fields.databaseSecretArn,
                    fields.redisAuthSecretArn,
                    pulumi.all(secretsKeyArns),
                    fields.documentsBucketArn,
                    pulumi.output(documentsKeyArn),
                ])
                .apply(([db, redis, keys, bucket, key]) =>
                    runtimeStatements({ region, secretArns: [db, redis], secretsKeyArns: keys, documentsBucketArn: bucket, documentsKeyArn: key }, needs),
                ),
    };
}
