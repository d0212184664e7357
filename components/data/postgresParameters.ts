/** Parameter group step: TLS 1.3 only, and logging an auditor can use (connections, DDL, slow statements, locks). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PostgresStepScope } from "./postgresArgs";

export interface PostgresParametersArgs extends PostgresStepScope {
    /** The pinned major.minor engine version: the group's family follows its major. */
    readonly engineVersion: string;
    /** log_min_duration_statement, ms. */
    readonly slowStatementMs: number;
}

export function createParameterGroup(parent: pulumi.ComponentResource, name: string, args: PostgresParametersArgs): aws.rds.ParameterGroup {
    const { identifier, tags } = args;
    const major = args.engineVersion.split(".")[0];
    return new aws.rds.ParameterGroup(
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
                { name: "log_min_duration_statement", value: String(args.slowStatementMs) },
                { name: "log_temp_files", value: "0" },
                { name: "log_autovacuum_min_duration", value: "10000" },
                { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
            ],
            tags,
        },
        { parent },
    );
}
