/**
 * Credentials step: the generated master password and the CMK-encrypted Secrets Manager secret that will
 * hold it, replicated to the DR region. The password only ever travels as a write-only value (the instance
 * step hands it to RDS, the rotation step writes the secret's first version).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { arnInRegion } from "../../model/regions";
import { PostgresDatabaseArgs, PostgresStepScope, RDS_PASSWORD_SPECIALS } from "./postgresArgs";

export interface PostgresCredentialsArgs extends PostgresStepScope, Pick<PostgresDatabaseArgs, "secretKeyArn" | "secretReplicas"> {
    /** Generation of the password: a new one makes a fresh password. */
    readonly passwordVersion: number;
    /** Days between rotations (the secret's description says it). */
    readonly rotationDays: number;
    /** A 30-day recovery window for the secret, 7 otherwise. */
    readonly production: boolean;
}

export interface PostgresCredentials {
    readonly password: random.RandomPassword;
    readonly secret: aws.secretsmanager.Secret;
    /** ARN of the secret's replica per replica region. */
    readonly replicaArns: Record<string, pulumi.Output<string>>;
}

export function createMasterCredentials(parent: pulumi.ComponentResource, name: string, args: PostgresCredentialsArgs): PostgresCredentials {
    const { identifier, tags } = args;
    const child = { parent };
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
            keepers: { version: String(args.passwordVersion) },
        },
        child,
    );
    const replicas = args.secretReplicas ?? [];
    const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
            name: `${identifier}/master`,
            description: `Master credentials of ${identifier} (rotated every ${args.rotationDays} days)`,
            kmsKeyId: args.secretKeyArn,
            recoveryWindowInDays: args.production ? 30 : 7,
            replicas: replicas.map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })),
            tags,
        },
        child,
    );
    const replicaArns = Object.fromEntries(replicas.map((r) => [r.region, secret.arn.apply((arn) => arnInRegion(arn, r.region))]));
    return { password, secret, replicaArns };
}
