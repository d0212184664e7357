/**
 * Network step: the subnet group in the isolated subnets and the database's security group, which admits
 * PostgreSQL from the data-clients security group only (the rotation step adds its own function).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../model/ports";
import { PostgresDatabaseArgs, PostgresStepScope } from "./postgresArgs";

export interface PostgresNetworkArgs extends PostgresStepScope, Pick<PostgresDatabaseArgs, "vpcId" | "subnetIds" | "clientSecurityGroupId"> {}

export interface PostgresNetwork {
    readonly subnetGroup: aws.rds.SubnetGroup;
    readonly securityGroup: aws.ec2.SecurityGroup;
}

export function createPostgresNetwork(parent: pulumi.ComponentResource, name: string, args: PostgresNetworkArgs): PostgresNetwork {
    const { identifier, tags } = args;
    const child = { parent };
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
    return { subnetGroup, securityGroup: sg };
}
