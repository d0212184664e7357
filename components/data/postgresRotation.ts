/**
 * Rotation step: the master secret's first version (written once per password generation), AWS's
 * rotation function from the Serverless Application Repository, and the schedule that rotates the
 * master password every `rotationDays`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { HTTPS_PORT, POSTGRES_PORT } from "../../model/ports";
import { POSTGRES_ROTATION_APP } from "../../model/versions";
import { MASTER_USERNAME, PostgresDatabaseArgs, PostgresStepScope, RDS_PASSWORD_EXCLUDED } from "./postgresArgs";

export interface PostgresRotationArgs
    extends
        PostgresStepScope,
        Pick<PostgresDatabaseArgs, "vpcId" | "region" | "rotationSubnetIds" | "apiEndpointSecurityGroupId" | "secretKeyArn" | "logKeyArn"> {
    readonly password: random.RandomPassword;
    readonly passwordVersion: number;
    readonly rotationDays: number;
    readonly secret: aws.secretsmanager.Secret;
    readonly db: aws.rds.Instance;
    /** The database's security group, which admits the rotation function. */
    readonly databaseSecurityGroupId: pulumi.Output<string>;
    /** Retention of the rotation function's logs, days. */
    readonly logRetentionDays: number;
}

export interface PostgresRotation {
    /** Lambda that rotates the master password. */
    readonly functionArn: pulumi.Output<string>;
    /** The rotation function's log group. */
    readonly logGroupName: pulumi.Output<string>;
}

export function createRotation(parent: pulumi.ComponentResource, name: string, args: PostgresRotationArgs): PostgresRotation {
    const { identifier, secret, db } = args;
    // The rotation function's format (engine, host, username, password, dbname, port); written once per password generation.
    const secretVersion = new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
            secretId: secret.id,
            secretStringWo: pulumi.all([args.password.result, db.address, db.port]).apply(([pw, host, port]) =>
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
            secretStringWoVersion: args.passwordVersion,
        },
        // Rotation moves the AWSCURRENT label to its own versions; Pulumi must not move it back.
        { parent, ignoreChanges: ["versionStages"] },
    );
    const rotation = rotationFunction(parent, name, args);
    new aws.secretsmanager.SecretRotation(
        `${name}-master`,
        { secretId: secret.id, rotationLambdaArn: rotation.functionArn, rotationRules: { automaticallyAfterDays: args.rotationDays } },
        { parent, dependsOn: [secretVersion, ...rotation.dependsOn] },
    );
    return { functionArn: rotation.functionArn, logGroupName: rotation.logGroupName };
}

/**
 * AWS's rotation function in the private tier: its own security group, admitted by the
 * database on 5432 and reaching only the database and the interface endpoints; its log group
 * pre-created with the CMK and a retention (Lambda's default group has neither).
 */
function rotationFunction(parent: pulumi.ComponentResource, name: string, args: PostgresRotationArgs) {
    const { identifier, tags } = args;
    const child = { parent };
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
            referencedSecurityGroupId: args.databaseSecurityGroupId,
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
            securityGroupId: args.databaseSecurityGroupId,
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
            retentionInDays: args.logRetentionDays,
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
                // The primary secret's key only. Issue #11 asked whether the function also needs the DR replica keys: AWS
                // documents none (the execution role's KMS statement names the secret's key; "Secrets Manager rotates the
                // secret in the primary Region, and the new secret value propagates to all of the associated replica
                // secrets"), and the DR database's storage key is never used by a SQL client.
                // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
                // https://docs.aws.amazon.com/secretsmanager/latest/userguide/replicate-secrets.html
                kmsKeyArn: args.secretKeyArn,
                excludeCharacters: RDS_PASSWORD_EXCLUDED,
            },
            tags,
        },
        { parent, dependsOn: [logGroup] },
    );
    return { functionArn: app.outputs.apply((o) => o["RotationLambdaARN"]), dependsOn: [ingress], logGroupName: logGroup.name };
}
