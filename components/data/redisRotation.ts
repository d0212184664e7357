/**
 * Rotation step of RedisCache (issue #11 finding 20: "the Redis AUTH secret is never rotated"): a
 * Lambda that rotates the app user's password through ElastiCache's ModifyUser, and the schedule
 * that runs it every `rotationDays`.
 *
 * Why not the Serverless Application Repository, as for PostgreSQL: AWS ships its ElastiCache
 * template (SecretsManagerElasticacheUserRotation) only as source; "the Elasticache and Active
 * Directory credentials have not been made available on the Serverless Repo for Applications yet"
 * (aws-samples/aws-secrets-manager-rotation-lambdas#135), and Secrets Manager's hosted rotation
 * (the CloudFormation transform) has no ElastiCache type. So the project deploys its own function
 * (redisRotation.lambda.js, the documented four-step protocol) on a Node.js runtime, whose AWS SDK
 * v3 is built in: nothing to build or download, a real `pulumi up` creates it as is.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/User-Secrets-Manager.html
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, policyJson, sourceAccount, trust, viaService } from "../../model/iam";
import { HTTPS_PORT } from "../../model/ports";
import { REDIS_ROTATION_RUNTIME } from "../../model/versions";

/** Punctuation ElastiCache refuses in a password: it accepts only the specials `!&#$^<>-` (RedisCache's generator uses the same). */
export const ELASTICACHE_PASSWORD_EXCLUDED = "\"%'()*+,./:;=?@[\\]_`{|}~";
/** Length of a rotated password (ElastiCache: 16 to 128 characters). */
export const ROTATED_PASSWORD_LENGTH = 40;
/** The function's own source, deployed as index.js. */
export const ROTATION_HANDLER_FILE = path.join(__dirname, "redisRotation.lambda.js");

export interface RedisRotationArgs {
    /** The cache's id (names of the function, its role and log group). */
    readonly id: string;
    readonly tags: Record<string, string>;
    readonly vpcId: pulumi.Input<string>;
    /** The account (the invoke permission's and the trust's confused-deputy guard). */
    readonly accountId: pulumi.Input<string>;
    /** Private subnets: the function reaches Secrets Manager, KMS and the ElastiCache API through the interface endpoints there. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security group of the VPC's interface endpoints. */
    readonly apiEndpointSecurityGroupId: pulumi.Input<string>;
    /** CMK of the secret (the function decrypts and re-encrypts it). */
    readonly secretKeyArn: pulumi.Input<string>;
    /** CMK of the function's log group. */
    readonly logKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly rotationDays: number;
    readonly secret: aws.secretsmanager.Secret;
    /** The secret's first version: rotation starts once it exists. */
    readonly secretVersion: aws.secretsmanager.SecretVersion;
    /** The ElastiCache user whose password is rotated (the secret's user_arn). */
    readonly user: aws.elasticache.User;
    /**
     * The replication group using the user: the first rotation (Secrets Manager rotates at once when rotation is set up)
     * waits for it, since the user is not "active" while its group is being attached, and by then the endpoints exist.
     */
    readonly cache: pulumi.Resource;
}

export interface RedisRotation {
    readonly functionArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
}

export function createRedisRotation(parent: pulumi.ComponentResource, name: string, args: RedisRotationArgs): RedisRotation {
    const { id, tags, secret, user } = args;
    const child = { parent };
    const functionName = `${id}-rotation`;
    const account = pulumi.output(args.accountId);

    // Control-plane calls only (ModifyUser, Secrets Manager, KMS): HTTPS to the interface endpoints, nothing to the cache itself.
    const sg = new aws.ec2.SecurityGroup(
        `${name}-rotation`,
        { vpcId: args.vpcId, description: `Password rotation of ${id}: the AWS API endpoints only`, tags: { ...tags, Name: functionName } },
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
            description: "Secrets Manager, KMS and ElastiCache through the VPC endpoints",
        },
        child,
    );
    // Pre-created with the CMK and a retention: Lambda's own group would have neither.
    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-rotation`,
        { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logKeyArn, tags },
        child,
    );

    const role = new aws.iam.Role(
        `${name}-rotation`,
        {
            description: `Rotates the ElastiCache user password of ${id}`,
            assumeRolePolicy: account.apply((a) => policyJson([trust({ Service: "lambda.amazonaws.com" }, "sts:AssumeRole", sourceAccount(a))])),
            tags,
        },
        child,
    );
    // What the rotation function calls, on this secret, this user and this key only (AWS "Permissions for rotation functions").
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-rotation`,
        {
            role: role.id,
            policy: pulumi.all([secret.arn, user.arn, args.secretKeyArn, logGroup.arn]).apply(([secretArn, userArn, keyArn, logArn]) =>
                policyJson([
                    allow(
                        "RotateThisSecret",
                        [
                            "secretsmanager:DescribeSecret",
                            "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue",
                            "secretsmanager:UpdateSecretVersionStage",
                        ],
                        secretArn,
                    ),
                    allow("GeneratePasswords", "secretsmanager:GetRandomPassword", "*"),
                    allow("ChangeThisUsersPassword", ["elasticache:DescribeUsers", "elasticache:ModifyUser"], userArn),
                    // Only through Secrets Manager, in the key's region (the function never calls KMS itself).
                    allow("UseTheSecretsKey", ["kms:Decrypt", "kms:GenerateDataKey"], keyArn, viaService("secretsmanager", keyArn.split(":")[3])),
                    allow("WriteOwnLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], `${logArn}:*`),
                    // A VPC function's network interfaces (the actions of AWSLambdaVPCAccessExecutionRole; EC2 scopes none of them).
                    allow(
                        "VpcNetworkInterfaces",
                        [
                            "ec2:CreateNetworkInterface",
                            "ec2:DescribeNetworkInterfaces",
                            "ec2:DescribeSubnets",
                            "ec2:DeleteNetworkInterface",
                            "ec2:AssignPrivateIpAddresses",
                            "ec2:UnassignPrivateIpAddresses",
                        ],
                        "*",
                    ),
                ]),
            ),
        },
        child,
    );

    const fn = new aws.lambda.Function(
        `${name}-rotation`,
        {
            name: functionName,
            description: `Secrets Manager rotation of the ElastiCache user password of ${id}`,
            runtime: REDIS_ROTATION_RUNTIME,
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(fs.readFileSync(ROTATION_HANDLER_FILE, "utf8")) }),
            role: role.arn,
            // setSecret and testSecret wait up to WAIT_SECONDS for the user to be active again.
            timeout: 300,
            memorySize: 256,
            vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [sg.id] },
            loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            environment: {
                variables: {
                    SECRET_ARN: secret.arn,
                    USER_NAME: user.userName,
                    EXCLUDE_CHARACTERS: ELASTICACHE_PASSWORD_EXCLUDED,
                    PASSWORD_LENGTH: String(ROTATED_PASSWORD_LENGTH),
                    WAIT_SECONDS: "240",
                    POLL_SECONDS: "10",
                },
            },
            tags,
        },
        { parent, dependsOn: [logGroup, rolePolicy] },
    );
    // Secrets Manager may invoke it for this secret only ("use one Lambda function to rotate a single secret").
    const permission = new aws.lambda.Permission(
        `${name}-rotation`,
        { action: "lambda:InvokeFunction", function: fn.name, principal: "secretsmanager.amazonaws.com", sourceArn: secret.arn, sourceAccount: account },
        child,
    );
    new aws.secretsmanager.SecretRotation(
        `${name}-auth`,
        { secretId: secret.id, rotationLambdaArn: fn.arn, rotationRules: { automaticallyAfterDays: args.rotationDays } },
        { parent, dependsOn: [args.secretVersion, permission, args.cache] },
    );
    return { functionArn: fn.arn, logGroupName: logGroup.name };
}
