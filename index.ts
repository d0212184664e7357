/**
 * Entry point: validates the stack's configuration once, then dispatches to the
 * composition named by its `role` (so a stack such as prod-eu can reuse `prod`).
 */
import * as pulumi from "@pulumi/pulumi";
import { isBootstrapConfig, loadBootstrapConfig } from "./model/bootstrapConfig";
import { ConfigError, PlatformConfig, loadConfig } from "./model/config";
import { bootstrapStack } from "./stacks/bootstrap";
import { drStack } from "./stacks/dr";
import { prodStack } from "./stacks/prod";

const compositions: Record<PlatformConfig["role"], (cfg: PlatformConfig) => Record<string, unknown>> = {
    prod: prodStack,
    dr: drStack,
};

export = async (): Promise<Record<string, unknown>> => {
    let cfg: PlatformConfig;
    try {
        const flat = pulumi.runtime.allConfig();
        // The account's bootstrap stack has its own schema (none of prod's and dr's sections).
        if (isBootstrapConfig(flat)) return bootstrapStack(loadBootstrapConfig(flat));
        cfg = loadConfig(flat);
    } catch (e) {
        // RunError: the CLI prints the one-line message without a stack trace, and nothing is created.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return compositions[cfg.role](cfg);
};
