/**
 * Entry point: validates the stack's configuration once, then dispatches to the
 * composition named by its `role` (so a stack such as prod-eu can reuse `prod`).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, PlatformConfig, loadConfig } from "./model/config";
import { drStack } from "./stacks/dr";
import { prodStack } from "./stacks/prod";

const compositions: Record<PlatformConfig["role"], (cfg: PlatformConfig) => Record<string, unknown>> = {
    prod: prodStack,
    dr: drStack,
};

export = async (): Promise<Record<string, unknown>> => {
    let cfg: PlatformConfig;
    try {
        cfg = loadConfig(pulumi.runtime.allConfig());
    } catch (e) {
        // RunError: the CLI prints the one-line message without a stack trace, and nothing is created.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    return compositions[cfg.role](cfg);
};
