/**
 * The delivery rules of issue #14 over one parsed workflow (tests/tools/workflows.test.ts): what GitHub accepts
 * but would not protect. Each returns findings (empty = compliant), so the test runs them on mutated copies too.
 */
export interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}
export interface Job {
    if?: string;
    needs?: string | string[];
    "runs-on"?: string;
    environment?: string | { name: string };
    permissions?: Record<string, string> | string;
    concurrency?: { group: string; "cancel-in-progress"?: boolean | string } | string;
    strategy?: { matrix?: { stack?: string[]; include?: { stack: string }[] } };
    steps?: Step[];
    uses?: string;
}
export interface Workflow {
    on: any;
    permissions?: Record<string, string> | string;
    concurrency?: Job["concurrency"];
    jobs: Record<string, Job>;
}

/** Stacks whose preview/up reaches the private-only EKS endpoint or on-prem: only their in-VPC runner can. */
const CLUSTER_STACKS = new Set(["prod", "dr", "dev"]);
/** README "First deploy of a new account": the CodeBuild-hosted runner's label (components/delivery/deployRunner.ts). */
const runnerLabel = (stack: string): string => `codebuild-${stack}-deploy-runner-\${{ github.run_id }}-\${{ github.run_attempt }}`;
/** The branch each stack's up may run from (GitFlow: develop -> dev, main -> prod and dr). */
const UP_BRANCH: Record<string, string> = { dev: "develop", prod: "main", dr: "main" };

const needsOf = (j: Job): string[] => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
const envName = (j: Job): string | undefined => (typeof j.environment === "string" ? j.environment : j.environment?.name);
const steps = (j: Job): Step[] => j.steps ?? [];
const runs = (j: Job, re: RegExp): boolean => steps(j).some((s) => typeof s.run === "string" && re.test(s.run));

/** The stacks a job works on: a literal stack-name, or its matrix's stacks for `${{ matrix.stack }}`. */
function stacksOf(j: Job, name: string | undefined): string[] {
    if (name === undefined) return [];
    if (!name.includes("matrix.stack")) return [name];
    const m = j.strategy?.matrix;
    return [...(m?.stack ?? []), ...(m?.include ?? []).map((i) => i.stack)];
}
const expand = (text: string, stack: string): string => text.replace(/\$\{\{\s*matrix\.stack\s*\}\}/g, stack);

/** Every job `name` transitively needs. */
function ancestors(w: Workflow, name: string, seen = new Set<string>()): Set<string> {
    for (const n of needsOf(w.jobs[name] ?? {})) if (!seen.has(n)) ancestors(w, n, seen.add(n));
    return seen;
}

export function checkWorkflow(file: string, w: Workflow, text: string): string[] {
    const out: string[] = [];
    const report = (where: string, msg: string): void => void out.push(`${file} ${where}: ${msg}`);

    // Pinned actions: a tag or branch can be moved under us; a full commit SHA cannot.
    for (const [i, line] of text.split("\n").entries()) {
        const m = /^\s*(?:-\s*)?uses:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/.exec(line);
        if (!m || m[1].startsWith("./") || m[1].startsWith("docker://")) continue;
        if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(m[1])) report(`line ${i + 1}`, `${m[1]} is not pinned to a full commit SHA`);
        else if (!/^#\s*v?\d+(\.\d+)*\b/.test(m[2] ?? "")) report(`line ${i + 1}`, `${m[1]} has no "# vX.Y.Z" version comment`);
    }

    // Least permissions: the workflow grants at most contents: read; jobs ask for more themselves.
    const top = w.permissions;
    if (typeof top !== "object" || Object.entries(top).some(([k, v]) => !(k === "contents" && v === "read")))
        report("permissions", `workflow-level permissions must be exactly { contents: read }, got ${JSON.stringify(top)}`);

    const triggers = typeof w.on === "string" ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on ?? {});
    let pushesImage = false;
    const usesDigest = /steps\.[\w-]+\.outputs\.digest|@sha256:|outputs\.digest/.test(text);

    for (const [name, job] of Object.entries(w.jobs)) {
        const perms = typeof job.permissions === "object" ? job.permissions : {};
        const awsSteps = steps(job).filter((s) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"));
        for (const s of awsSteps) {
            if (s.with?.["aws-access-key-id"] !== undefined || s.with?.["aws-secret-access-key"] !== undefined)
                report(name, "long-lived AWS access keys: assume a role through OIDC instead");
            if (typeof s.with?.["role-to-assume"] !== "string") report(name, "configure-aws-credentials without role-to-assume (OIDC)");
        }
        if (awsSteps.length > 0 && perms["id-token"] !== "write") report(name, "assumes an AWS role but lacks permissions id-token: write");
        if (awsSteps.length === 0 && perms["id-token"] === "write") report(name, "id-token: write without an OIDC role to assume");
        if (/aws-access-key-id|AWS_SECRET_ACCESS_KEY/.test(JSON.stringify(job))) report(name, "long-lived AWS access keys in the job");

        // Every preview and up: the pack and the stack's config (without it dr is blocked, or a waiver is lost).
        for (const s of steps(job)) {
            const command = s.with?.command;
            const isPulumi = String(s.uses ?? "").startsWith("pulumi/actions@");
            const cli = typeof s.run === "string" ? /pulumi\s+(preview|up)\b/.exec(s.run) : null;
            if (!(isPulumi && (command === "preview" || command === "up")) && !cli) continue;
            const stackName = isPulumi ? String(s.with?.["stack-name"] ?? "") : (/--stack[ =](\S+)/.exec(s.run!)?.[1] ?? "");
            const stacks = stacksOf(job, stackName);
            if (stacks.length === 0) report(name, "a preview/up without a stack");
            for (const stack of stacks) {
                const packs = isPulumi ? String(s.with?.policyPacks ?? "") : s.run!;
                const config = isPulumi ? expand(String(s.with?.policyPackConfigs ?? ""), stack) : expand(s.run!, stack);
                if (!/(^|\s|--policy-pack[ =])policy(\s|$)/.test(packs)) report(name, `${stack}: the policy pack (policy) is not passed`);
                if (!config.includes(`policy/config/${stack}.json`)) report(name, `${stack}: policy/config/${stack}.json is not passed`);
                const label = runnerLabel(stack);
                if (CLUSTER_STACKS.has(stack) && expand(String(job["runs-on"] ?? ""), stack) !== label)
                    report(name, `${stack} reaches the private cluster: runs-on must be its deploy runner ${label}`);
                const group = typeof job.concurrency === "string" ? job.concurrency : job.concurrency?.group;
                if (!group || !expand(group, stack).includes(stack)) report(name, `${stack}: no concurrency group per stack`);
                const isUp = command === "up" || cli?.[1] === "up";
                const before = [...ancestors(w, name)].map((n) => w.jobs[n]).filter(Boolean);
                if (!before.some((j) => runs(j, /npm (test|run test)\b/))) report(name, "runs before (without) the tests");
                if (isUp) {
                    if (envName(job) !== stack) report(name, `an up of ${stack} must run in environment ${stack}`);
                    if (triggers.some((t: string) => t !== "push")) report(name, `an up is triggered only by push, not ${triggers.join(", ")}`);
                    const branches: string[] = w.on?.push?.branches ?? [];
                    if (!branches.includes(UP_BRANCH[stack] ?? "main") || !String(job.if ?? "").includes(`refs/heads/${UP_BRANCH[stack] ?? "main"}`))
                        report(name, `an up of ${stack} runs only on refs/heads/${UP_BRANCH[stack] ?? "main"}`);
                    if (typeof job.concurrency !== "object" || job.concurrency["cancel-in-progress"] !== false)
                        report(name, "an up must not be cancelled half applied: cancel-in-progress: false");
                    if (stack === "dr" && !ancestors(w, name).has(Object.keys(w.jobs).find((n) => n !== name && /up-prod/.test(n)) ?? "up-prod"))
                        report(name, "dr's up runs after prod's (needs up-prod): it reads prod's outputs");
                } else {
                    if (!String(job.if ?? "").includes("pull_request")) report(name, "a preview runs on pull requests");
                    if (!before.some((j) => runs(j, /npm run policy\b/) && runs(j, /npm run plan\b/)))
                        report(name, "a preview runs after the offline plan and policy (needs)");
                }
            }
        }

        // Images: scanned by Trivy before any push; deployed by digest (what was scanned is what runs).
        const pushAt = steps(job).findIndex(
            (s) =>
                (String(s.uses ?? "").startsWith("docker/build-push-action@") && String(s.with?.push) === "true") ||
                (typeof s.run === "string" && /docker (image )?push\b|buildx build[^\n]*--push/.test(s.run)),
        );
        if (pushAt >= 0) {
            pushesImage = true;
            const scans = (ss: Step[]): boolean =>
                ss.some((s) => String(s.uses ?? "").startsWith("aquasecurity/trivy-action@") || /\btrivy (image|fs)\b/.test(s.run ?? ""));
            const scannedBefore = scans(steps(job).slice(0, pushAt)) || [...ancestors(w, name)].some((n) => scans(steps(w.jobs[n] ?? {})));
            if (!scannedBefore) report(name, "pushes an image without a Trivy scan before the push");
        }
    }
    if (pushesImage && !usesDigest) report("images", "pushes an image but never refers to it by digest");

    // The DR drill (build 5): semi-annual, the drill role's environment, the timeline kept; the real failover behind dr.
    const drill = Object.entries(w.jobs).find(([, j]) => runs(j, /npm run failover -- --stack dr --drill\b/));
    if (drill) {
        const crons: string[] = (w.on?.schedule ?? []).map((c: { cron: string }) => c.cron);
        const months = crons.map((c) => c.split(/\s+/)[3] ?? "*");
        const semiAnnual = months.some((m) => {
            const ms = m.split(",").map(Number);
            return ms.length === 2 && Math.abs(ms[1] - ms[0]) === 6;
        });
        if (!semiAnnual) report("on.schedule", `the drill runs semi-annually (two months six apart), got ${JSON.stringify(crons)}`);
        if (envName(drill[1]) !== "dr-drill") report(drill[0], "the drill runs in environment dr-drill (its role trusts only it)");
        if (!steps(drill[1]).some((s) => String(s.uses ?? "").startsWith("actions/upload-artifact@")))
            report(drill[0], "the drill's timeline is not uploaded as an artifact");
        const real = Object.entries(w.jobs).find(([, j]) => runs(j, /npm run failover -- --stack dr(?! --drill)/));
        if (!real || envName(real[1]) !== "dr" || !("workflow_dispatch" in (w.on ?? {})))
            report("failover", "a real failover runs by workflow_dispatch in environment dr");
    }
    return out;
}
