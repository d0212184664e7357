/**
 * The one test harness. Three ways to plan, all under the same mocks, serialised (the Pulumi runtime
 * is process-global; mocha runs files in parallel processes, each with its own, and sharedPlans.ts
 * shares the whole-stack plans between them):
 *  - `planOf(stack, mode)`: the whole stack as committed, computed once per run and shared;
 *  - `planComponent(() => new X(...))` and the builders below (`appClusterAlone`, `dataTierAlone`,
 *    `networkTierAlone`, `drReplicaAlone`): one component with the args a variant changes (fast);
 *  - `planStack(stack, { config })`: the whole stack with an edited config, only for tests about
 *    config -> stack wiring (memoised by config, so tests of the same variant share it).
 * Plus small finders over a plan.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { AppCluster, AppClusterArgs } from "../../components/app/appCluster";
import { AppBootstrap } from "../../components/app/appClusterArgs";
import { DataTier, DataTierArgs } from "../../components/data/dataTier";
import { DataEndpoints, dataEndpoints } from "../../components/data/endpoints";
import { DrReplica, DrReplicaArgs } from "../../components/dr/drReplica";
import { NetworkTier, NetworkTierArgs } from "../../components/network/networkTier";
import { planSubnets } from "../../model/cidr";
import { endpointBlock } from "../../model/endpointAddresses";
import { ConfigError, PROJECT, PlatformConfig, loadConfig } from "../../model/config";
import { DEFAULTS } from "../../model/defaults";
import { drModeOf } from "../../model/drConfig";
import { POSTGRES_PORT, REDIS_PORT } from "../../model/ports";
import { MOCK_ACCOUNT_ID } from "../../tools/mocks";
import { appClusterBase, networkTierArgs, primaryRegionProvider, regionalProvider } from "../../stacks/platform";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Plan, PlannedResource, RunOptions, readStackConfig, runProgram, stackConfigPath } from "../../tools/offline";
import { main, withoutSourceMaps } from "../../tools/plan";
import { shared, sharedDir } from "./sharedPlans";

type Json = Record<string, any>;

let queue: Promise<unknown> = Promise.resolve();
const cache = new Map<string, Promise<Plan>>();

/** Runs a program under mocks, after the runs before it (source maps off while it runs, as the plan CLI does: a quarter of a plan). */
function run(options: RunOptions): Promise<Plan> {
    const result = queue.then(() => withoutSourceMaps(() => runProgram(options)));
    queue = result.catch(() => undefined);
    return result;
}

/** A whole-stack plan, computed once per process and, under `mocha --parallel`, once per run (sharedPlans.ts). */
function memoised(key: string, plan: () => Promise<Plan>): Promise<Plan> {
    if (!cache.has(key)) cache.set(key, shared(key, plan));
    return cache.get(key)!;
}

/** The plan of a stack file as committed, in update (default) or preview mode; memoised. */
export function planOf(stack: string, mode: "update" | "preview" = "update"): Promise<Plan> {
    return memoised(`${stack}:${mode}`, () => run({ stack, preview: mode === "preview", stackOutputs: stackOutputsFor(stack) }));
}

export interface StackPlanOptions {
    /** The flat stack config, e.g. from `configWith` or `configEditing`. */
    readonly config: Record<string, string>;
    /** Preview mode. Default false. */
    readonly preview?: boolean;
    /** StackReference outputs by stack name. Default: what `planOf` feeds the stack (dr reads the prod fixture). */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
}

/**
 * The whole stack with an edited config: for tests of config -> stack wiring only (a component's
 * variant is planned alone: see planComponent). Memoised by its options: tests of one variant share a plan.
 */
export function planStack(stack: string, options: StackPlanOptions): Promise<Plan> {
    const stackOutputs = options.stackOutputs ?? stackOutputsFor(stack);
    const key = JSON.stringify([stack, options.preview ?? false, options.config, stackOutputs]);
    return memoised(key, () => run({ stack, config: options.config, preview: options.preview ?? false, stackOutputs }));
}

/**
 * The prod outputs the dr tests feed their StackReference: a fixture with the agreed output names and
 * realistic values, so assertions compare against known ARNs (the CLI feeds the offline prod plan instead).
 */
export const PROD_OUTPUTS_FILE = path.join(__dirname, "..", "fixtures", "prod-outputs.json");
export const PROD_OUTPUTS: Readonly<Record<string, unknown>> = JSON.parse(readFileSync(PROD_OUTPUTS_FILE, "utf8"));

/**
 * The bootstrap outputs prod and dr tests feed their StackReference: the offline bootstrap plan's outputs
 * (tests/integration/firstDeploy.test.ts checks the fixture still is), under the name their config gives.
 */
export const BOOTSTRAP_OUTPUTS_FILE = path.join(__dirname, "..", "fixtures", "bootstrap-outputs.json");
export const BOOTSTRAP_OUTPUTS: Readonly<Record<string, any>> = JSON.parse(readFileSync(BOOTSTRAP_OUTPUTS_FILE, "utf8"));

/** Stack references a stack needs offline: prod and dr read the account's bootstrap, dr reads prod (under the names their config gives). */
export function stackOutputsFor(stack: string): Record<string, Record<string, unknown>> | undefined {
    const config = readStackConfig(stackConfigPath(stack));
    if (config[`${PROJECT}:role`] === "bootstrap") return undefined;
    const bootstrap = { [config[`${PROJECT}:bootstrapStack`] ?? DEFAULTS.bootstrapStack]: { ...BOOTSTRAP_OUTPUTS } };
    if (stack !== "dr") return bootstrap;
    const primary = JSON.parse(config["hybrid-platform:dr"]).primaryStack as string;
    return { ...bootstrap, [primary]: { ...PROD_OUTPUTS } };
}

/** The bootstrap outputs an AppCluster planned alone uses (BOOTSTRAP_OUTPUTS narrowed to its region, stack and hostname). */
export function aloneBootstrap(
    region: string,
    stack: string,
    accountId: string = MOCK_ACCOUNT_ID,
    // prod's hostname: the bootstrap validates dev's too (Pulumi.bootstrap.yaml additionalHostnames).
    hostname: string = JSON.parse(readStackConfig(stackConfigPath("prod"))[`${PROJECT}:dns`]).hostname as string,
): AppBootstrap {
    // The same account as the cluster (the key policy refuses another account's role).
    const inAccount = (s: string) => s.replaceAll(MOCK_ACCOUNT_ID, accountId);
    return {
        repositoryUrls: Object.fromEntries(
            Object.entries(BOOTSTRAP_OUTPUTS.ecrRepositoryUrls[region] as Record<string, string>).map(([k, v]) => [k, inAccount(v)]),
        ),
        autoScalingRoleArn: inAccount(BOOTSTRAP_OUTPUTS.autoScalingRoleArn),
        ciRoleArn: inAccount(BOOTSTRAP_OUTPUTS.ciRoleArns[stack]),
        certificateValidationRecordFqdn: BOOTSTRAP_OUTPUTS.certificateValidationRecordFqdns[hostname],
    };
}

/** A stack's committed config with some keys replaced (value undefined deletes the key). */
export function configWith(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
    const config = { ...readStackConfig(stackConfigPath(stack)) };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return config;
}

/** The committed config of a stack with one project key's JSON value edited in place. */
export function configEditing<T = Record<string, unknown>>(stack: string, key: string, edit: (value: T) => void): Record<string, string> {
    const base = configWith(stack, {});
    const value = JSON.parse(base[key]) as T;
    edit(value);
    return { ...base, [key]: JSON.stringify(value) };
}

/**
 * A stack's committed config with an on-prem cluster: `app.onPrem` of the given distribution, its kubeconfig, and
 * the collector's IAM Roles Anywhere identity (observability.collection.onPrem) that an on-prem cluster needs.
 */
export function withOnPremCluster(stack: string, distribution: "rke2" | "openshift"): Record<string, string> {
    const app = configEditing<Record<string, unknown>>(stack, "hybrid-platform:app", (a) => (a.onPrem = { distribution }));
    const observability = JSON.parse(app["hybrid-platform:observability"] ?? "{}") as { collection?: Record<string, unknown> };
    observability.collection = {
        ...observability.collection,
        onPrem: {
            trustAnchorCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
            clientCommonName: "otel-collector.dc1",
            signingHelperImage: `registry.dc1/aws-signing-helper@sha256:${"a".repeat(64)}`,
        },
    };
    return {
        ...app,
        "hybrid-platform:observability": JSON.stringify(observability),
        "hybrid-platform:onPremKubeconfig": "offline-secret:kubeconfig",
    };
}

/** The ConfigError a flat config raises (prod's and dr's loader unless given: loadBootstrapConfig), asserting it is one line; fails if the config is accepted. */
export function configErrorOf(flat: Record<string, string>, load: (flat: Record<string, string>) => unknown = loadConfig): ConfigError {
    try {
        load(flat);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        assert.ok(!e.message.includes("\n"), "the error is one line");
        return e;
    }
    assert.fail("config was accepted");
}

export const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((r) => r.type === type);

export function one(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
}

export const byId = (plan: Plan): Map<string, PlannedResource> => new Map(plan.resources.filter((r) => r.id).map((r) => [r.id!, r]));
export const byUrn = (plan: Plan): Map<string, PlannedResource> => new Map(plan.resources.map((r) => [r.urn, r]));

export interface ComponentPlanOptions {
    /** Preview mode (unknown IDs and computed outputs). Default false. */
    readonly preview?: boolean;
    /** Stack name the component is planned under. Default "prod". */
    readonly stack?: string;
    /** Flat stack config the program sees. Default: the committed Pulumi.<stack>.yaml. */
    readonly config?: Record<string, string>;
    /** StackReference outputs by stack name. Default: none. */
    readonly stackOutputs?: Record<string, Record<string, unknown>>;
}

/**
 * Plans one component alone under the same mocks as the whole stack: `build` constructs it (and
 * whatever it needs); the plan holds only what it registered. Much faster than a whole-stack plan,
 * so variant tests (release strategies, engines, outside-production settings) use this. When `build`
 * returns a record, it becomes the plan's stack outputs (to check what a component provides).
 */
export function planComponent(build: () => unknown, options: ComponentPlanOptions = {}): Promise<Plan> {
    const stack = options.stack ?? "prod";
    return run({
        stack,
        config: options.config ?? readStackConfig(stackConfigPath(stack)),
        preview: options.preview ?? false,
        stackOutputs: options.stackOutputs,
        program: async () => {
            const built = build();
            return built !== null && typeof built === "object" && !(built instanceof pulumi.Resource) ? (built as Record<string, unknown>) : {};
        },
    });
}

/** Runs `fn` after every plan before it, for the rare test that drives the Pulumi runtime itself (a recording mock). */
export function serially<T>(fn: () => Promise<T>): Promise<T> {
    const result = queue.then(fn);
    queue = result.catch(() => undefined);
    return result;
}

/** A stack's committed config with project keys' JSON values edited in place (raw, as in the stack file), validated. */
export function stackConfig(stack: string, edits: Record<string, (value: Json) => void> = {}, keys: Record<string, string | undefined> = {}): PlatformConfig {
    return loadConfig(flatConfig(stack, edits, keys));
}

/** The flat config stackConfig validates: `keys` set (undefined deletes), then project keys' JSON values edited. */
function flatConfig(stack: string, edits: Record<string, (value: Json) => void> = {}, keys: Record<string, string | undefined> = {}): Record<string, string> {
    const flat = configWith(stack, keys);
    for (const [key, edit] of Object.entries(edits)) {
        const value = JSON.parse(flat[`${PROJECT}:${key}`] ?? "{}") as Json;
        edit(value);
        flat[`${PROJECT}:${key}`] = JSON.stringify(value);
    }
    return flat;
}

/** The network a component alone sits in: the pure CIDR plan of the stack's VPC, with IDs that read as such. */
function networkOf(cfg: PlatformConfig) {
    const subnets = planSubnets(cfg.network.vpcCidr, cfg.network.azCount);
    const of = (tier: string) => subnets.filter((s) => s.tier === tier);
    const ids = (tier: string) => of(tier).map((s) => `subnet-${tier}-${s.az}`);
    return {
        vpcId: "vpc-0alone",
        privateSubnetIds: ids("private"),
        publicSubnetIds: ids("public"),
        isolatedSubnetIds: ids("isolated"),
        publicSubnetCidrs: of("public").map((s) => s.cidr),
        isolatedSubnetCidrs: of("isolated").map((s) => s.cidr),
        apiEndpointCidrs: of("private").map((s) => endpointBlock(s.cidr)),
    };
}

export interface Variant<Args> {
    /** Stack whose committed config the component's args come from. Default "prod". */
    readonly stack?: string;
    /** Edits of the stack file's project keys (raw values, before validation and defaults), e.g. `{ app: (a) => (a.release = {}) }`. */
    readonly config?: Record<string, (value: Json) => void>;
    /** Flat config keys set as the Pulumi CLI would hand them over (undefined deletes), e.g. a secret's `offline-secret:` stand-in. */
    readonly keys?: Record<string, string | undefined>;
    /** Args replacing those the config gives. */
    readonly args?: Partial<Args>;
    readonly preview?: boolean;
}

/** What the data tier hands AppCluster when it is planned alone (fixed, so assertions can name them). */
export const ALONE_DATA = {
    clientSecurityGroupId: "sg-0dataclients",
    documentsBucketName: "alone-documents",
    documentsBucketArn: "arn:aws:s3:::alone-documents",
    documentsKeyArn: "arn:aws:kms:eu-west-2:111122223333:key/alone-documents",
    databaseSecretArn: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:alone/db-AbCdEf",
    redisAuthSecretArn: "arn:aws:secretsmanager:eu-west-2:111122223333:secret:alone/redis-AbCdEf",
    secretsKeyArns: ["arn:aws:kms:eu-west-2:111122223333:key/alone-secrets"],
    databaseHost: "alone-db.example.internal",
    redisHost: "alone-redis.example.internal",
} as const;

/** ALONE_DATA as the DataEndpoints contract AppCluster takes. */
export function aloneDataEndpoints(region: string): DataEndpoints {
    return dataEndpoints({
        region,
        clientSecurityGroupId: pulumi.output(ALONE_DATA.clientSecurityGroupId),
        documentsBucketName: pulumi.output(ALONE_DATA.documentsBucketName),
        documentsBucketArn: pulumi.output(ALONE_DATA.documentsBucketArn),
        documentsKeyArn: ALONE_DATA.documentsKeyArn,
        databaseSecretArn: pulumi.output(ALONE_DATA.databaseSecretArn),
        redisAuthSecretArn: pulumi.output(ALONE_DATA.redisAuthSecretArn),
        secretsKeyArns: [...ALONE_DATA.secretsKeyArns],
        databaseHost: pulumi.output(ALONE_DATA.databaseHost),
        databasePort: POSTGRES_PORT,
        redisHost: pulumi.output(ALONE_DATA.redisHost),
        redisPort: REDIS_PORT,
    });
}

/**
 * AppCluster alone, with the args a stack gives it from its config (the one place that builds them:
 * adapt it when AppClusterArgs change), on a network from the CIDR plan and the data of ALONE_DATA.
 */
export function appClusterAlone(variant: Variant<AppClusterArgs> = {}): Promise<Plan> {
    const stack = variant.stack ?? "prod";
    return planComponent(
        () => {
            const cfg = stackConfig(stack, variant.config, variant.keys);
            const network = networkOf(cfg);
            const args: AppClusterArgs = {
                ...appClusterBase(cfg, network, MOCK_ACCOUNT_ID),
                data: aloneDataEndpoints(cfg.region),
                bootstrap: aloneBootstrap(
                    cfg.region,
                    stack,
                    typeof variant.args?.accountId === "string" ? variant.args.accountId : MOCK_ACCOUNT_ID,
                    cfg.dns.hostname,
                ),
                // As the prod stack passes it: a secret from the start.
                onPremKubeconfig: cfg.onPremKubeconfig === undefined ? undefined : pulumi.secret(cfg.onPremKubeconfig),
                pilotLight: stack === "dr" ? drModeOf(cfg) === "standby" : undefined,
                ...variant.args,
                accountId: variant.args?.accountId ?? MOCK_ACCOUNT_ID,
            };
            new AppCluster("app", args, { providers: [regionalProvider(cfg)] });
        },
        { stack, preview: variant.preview, config: flatConfig(stack, variant.config, variant.keys) },
    );
}

/** DataTier alone, with the args the prod stack gives it from its config, on a network from the CIDR plan. */
export function dataTierAlone(variant: Variant<DataTierArgs> = {}): Promise<Plan> {
    const stack = variant.stack ?? "prod";
    return planComponent(
        () => {
            const cfg = stackConfig(stack, variant.config, variant.keys);
            const network = networkOf(cfg);
            const args: DataTierArgs = {
                vpcId: network.vpcId,
                isolatedSubnetIds: network.isolatedSubnetIds,
                privateSubnetIds: network.privateSubnetIds,
                apiEndpointSecurityGroupId: "sg-0endpoints",
                region: cfg.region,
                config: cfg.data,
                growthYears: cfg.capacity.growthYears,
                production: cfg.environment === "production",
                onPremObjectStorePassword: cfg.data.onPremObjectStore ? new pulumi.Config(PROJECT).requireSecret("onPremObjectStorePassword") : undefined,
                ...variant.args,
                accountId: variant.args?.accountId ?? MOCK_ACCOUNT_ID,
            };
            new DataTier("data", args, { providers: [regionalProvider(cfg)] });
        },
        { stack, preview: variant.preview, config: flatConfig(stack, variant.config, variant.keys) },
    );
}

/** NetworkTier alone, with the args a stack gives it from its config. */
export function networkTierAlone(variant: Variant<NetworkTierArgs> = {}): Promise<Plan> {
    const stack = variant.stack ?? "prod";
    return planComponent(
        () => {
            const cfg = stackConfig(stack, variant.config, variant.keys);
            const args: NetworkTierArgs = { ...networkTierArgs(cfg, variant.args?.accountId ?? MOCK_ACCOUNT_ID), ...variant.args };
            new NetworkTier("network", args, { providers: [regionalProvider(cfg)] });
        },
        { stack, preview: variant.preview, config: flatConfig(stack, variant.config, variant.keys) },
    );
}

/** DrReplica alone, with the args the dr stack gives it from its config; its StackReference reads `stackOutputs` (default the prod fixture). */
export function drReplicaAlone(variant: Variant<DrReplicaArgs> & { readonly stackOutputs?: Record<string, Record<string, unknown>> } = {}): Promise<Plan> {
    const stack = variant.stack ?? "dr";
    const cfg = stackConfig(stack, variant.config, variant.keys);
    const dr = cfg.dr!;
    return planComponent(
        () => {
            const network = networkOf(cfg);
            const args: DrReplicaArgs = {
                primaryStack: dr.primaryStack,
                primaryRegion: dr.primaryRegion,
                region: cfg.region,
                primaryProvider: primaryRegionProvider(cfg, dr.primaryRegion),
                mode: drModeOf(cfg),
                vpcId: network.vpcId,
                isolatedSubnetIds: network.isolatedSubnetIds,
                databaseInstanceClass: dr.databaseInstanceClass,
                databaseParameterGroupFamily: dr.databaseParameterGroupFamily,
                deletionProtection: cfg.environment === "production",
                replicaLagAlarmSeconds: dr.replicaLagAlarmSeconds,
                replicationLatencyAlarmSeconds: dr.replicationLatencyAlarmSeconds,
                alarmTopicArn: `arn:aws:sns:${cfg.region}:111122223333:alerts`,
                primaryAlarmTopicArn: `arn:aws:sns:${dr.primaryRegion}:111122223333:replication-alerts`,
                ...variant.args,
                accountId: variant.args?.accountId ?? MOCK_ACCOUNT_ID,
            };
            new DrReplica("data", args, { providers: [regionalProvider(cfg)] });
        },
        {
            stack,
            preview: variant.preview,
            config: flatConfig(stack, variant.config, variant.keys),
            stackOutputs: variant.stackOutputs ?? { [dr.primaryStack]: { ...PROD_OUTPUTS } },
        },
    );
}

/** The SOC's CloudWatch Logs destination the wiring tests configure (audit.socDestinationArn). */
export const SOC_DESTINATION_ARN = "arn:aws:logs:eu-west-2:444455556666:destination:soc-audit";

/** The committed prod config forwarding to the SOC: the audit trail, the flow logs and the data tier's logs. */
export const socForwardingConfig = (): Record<string, string> =>
    configWith("prod", { [`${PROJECT}:audit`]: JSON.stringify({ socDestinationArn: SOC_DESTINATION_ARN }) });

export interface CliRun {
    readonly code: number;
    readonly out: string[];
    readonly err: string[];
}
const cliRuns = new Map<string, Promise<CliRun>>();

/**
 * `npm run plan` in-process (tools/plan.ts `main`), stdout and stderr lines captured; memoised by its
 * arguments (and shared by parallel workers), so tests reading the same `--json` file share one run.
 * planJsonFile names such a file.
 */
export function planCli(args: string[]): Promise<CliRun> {
    const key = JSON.stringify(args);
    const here = (): Promise<CliRun> => {
        const result = queue.then(async () => {
            const out: string[] = [];
            const err: string[] = [];
            const [log, error] = [console.log, console.error];
            console.log = (...a: unknown[]) => void out.push(a.join(" "));
            console.error = (...a: unknown[]) => void err.push(a.join(" "));
            try {
                return { code: await main(args), out, err };
            } finally {
                [console.log, console.error] = [log, error];
            }
        });
        queue = result.catch(() => undefined);
        return result;
    };
    if (!cliRuns.has(key)) cliRuns.set(key, shared(`cli:${key}`, here));
    return cliRuns.get(key)!;
}

let jsonDir: string | undefined;
/** A --json path shared by the tests of one run, e.g. planJsonFile("prod") for `--stack prod --json`. */
export function planJsonFile(name: string): string {
    jsonDir ??= sharedDir();
    if (jsonDir === undefined) {
        const dir = (jsonDir = mkdtempSync(path.join(tmpdir(), "hybrid-plan-json-")));
        process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    }
    return path.join(jsonDir, `${name}.json`);
}
