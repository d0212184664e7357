/**
 * OnPremHosts (issue #16): the prod stack with `onPrem.hosts` runs the playbooks through one local.Command whose
 * trigger is the version of the playbooks and the inventory; without the section nothing on-prem is planned.
 */
import * as assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ANSIBLE_DIR, OnPremHosts } from "../../../components/onprem";
import { playbookVersion } from "../../../components/onprem/playbookHash";
import { RUN_SCRIPT } from "../../../components/onprem/playbookRun";
import { PROJECT } from "../../../model/config";
import { HEALTH_CHECK_PORT } from "../../../model/ports";
import { renderInventory } from "../../../model/onPremHosts";
import { REDACTED } from "../../../tools/offline";
import { configWith, ofType, planComponent, planOf, planStack, stackConfig } from "../../support";

const COMMAND = "command:local:Command";
const COMPONENT = "hybrid:onprem:OnPremHosts";
const cfg = stackConfig("prod");
const context = {
    portalHostname: cfg.dns.hostname,
    healthCheckPath: "/healthz",
    onPremCidrs: cfg.network.onPrem!.cidrs,
    vpcCidrs: [cfg.network.vpcCidr, ...cfg.network.peerVpcCidrs],
    rateLimitPer5Minutes: cfg.app.wafRateLimit,
};

describe("components/onprem: OnPremHosts", () => {
    for (const mode of ["update", "preview"] as const) {
        it(`the prod plan holds the component and its command, triggered by the playbooks' version (${mode})`, async () => {
            const plan = await planOf("prod", mode);
            const [component] = ofType(plan, COMPONENT);
            assert.ok(component, "OnPremHosts in the prod plan");
            // The playbooks' run (the log shippers' index access is a command too: issue #13).
            const run = ofType(plan, COMMAND).find((c) => c.parent === component.urn)!;
            assert.ok(run, "the component's command");
            const inventory = renderInventory(cfg.onPrem!, context);
            assert.deepEqual(run.props.triggers, [playbookVersion(ANSIBLE_DIR, inventory)]);
            assert.equal(run.props.dir, ANSIBLE_DIR);
            assert.equal(run.props.create, RUN_SCRIPT);
            // The key makes the whole environment a secret: the plan file carries the marker, never the key.
            assert.ok(!JSON.stringify(run.props).includes(cfg.onPrem!.sshPrivateKey), "the SSH key is not in the plan");
            assert.equal((run.props.environment as Record<string, unknown>).value, REDACTED);
            // Over the VPN: after the network tier (its routes and the VPN gateway).
            assert.ok(
                component.dependencies.some((urn) => urn.includes("aws:ec2/vpnConnection:VpnConnection::")),
                "waits for the VPN connection",
            );
        });
    }

    it("without onPrem.hosts nothing on-prem is planned", async () => {
        const plan = await planStack("prod", { config: configWith("prod", { [`${PROJECT}:onPrem`]: undefined }) });
        assert.equal(ofType(plan, COMPONENT).length, 0);
        assert.equal(ofType(plan, COMMAND).filter((c) => c.name.endsWith("-playbooks")).length, 0);
        assert.ok(plan.resources.length > 100, "the rest of prod is still planned");
    });

    it("the version changes with any playbook file and with the inventory, and only then", () => {
        const inventory = renderInventory(cfg.onPrem!, context);
        const copy = mkdtempSync(path.join(tmpdir(), "onprem-hash-"));
        try {
            cpSync(ANSIBLE_DIR, copy, { recursive: true });
            const version = playbookVersion(copy, inventory);
            assert.match(version, /^sha256:[0-9a-f]{64}$/);
            assert.equal(playbookVersion(copy, inventory), version, "deterministic");
            assert.equal(playbookVersion(ANSIBLE_DIR, inventory), version, "the same files give the same version wherever they are");
            const edited = { ...cfg.onPrem!, hosts: { ...cfg.onPrem!.hosts, dmz_lb: cfg.onPrem!.hosts.dmz_lb.slice(0, 1) } };
            assert.notEqual(playbookVersion(copy, renderInventory(edited, context)), version, "a host less");
            writeFileSync(path.join(copy, "roles/dmz_lb/templates/haproxy.cfg.j2"), "# changed\n", { flag: "a" });
            assert.notEqual(playbookVersion(copy, inventory), version, "a template changed");
        } finally {
            rmSync(copy, { recursive: true, force: true });
        }
    });

    it("refuses an empty host list and a directory without site.yml, naming both", async () => {
        const empty = { ...cfg.onPrem!, hosts: { dmz_lb: [], api_gateway: [], k8s_nodes: [], object_store: [] } };
        await assert.rejects(
            planComponent(() => new OnPremHosts("onprem", { onPrem: empty, context, sshPrivateKey: "k", ansibleDir: tmpdir() })),
            (e: Error) => /onPrem\.hosts has no host/.test(e.message) && /ansibleDir .* holds no site\.yml/.test(e.message),
        );
    });

    // Route 53's HTTPS checkers negotiate TLS 1.0-1.2 only (API_HealthCheckConfig): on the DMZ's TLS 1.3-only 443 the
    // on-prem GSLB member would never be healthy. The dr stack probes the port the dmz_lb role opens for them.
    it("the GSLB's on-prem check probes the DMZ load balancer's health-check port, not its TLS 1.3-only 443", async () => {
        const plan = await planOf("dr");
        const check = ofType(plan, "aws:route53/healthCheck:HealthCheck").find((c) => c.name === "gslb-onprem")!;
        assert.equal(check.props.port, HEALTH_CHECK_PORT);
        const defaults = readFileSync(path.join(ANSIBLE_DIR, "roles/dmz_lb/defaults/main.yml"), "utf8");
        assert.match(defaults, new RegExp(`^dmz_lb_health_check_port: ${HEALTH_CHECK_PORT}$`, "m"));
        assert.equal(check.props.resourcePath, "/healthz");
    });

    it("the run script keeps the key out of its text and off the disk after the run", () => {
        assert.ok(!RUN_SCRIPT.includes(cfg.onPrem!.sshPrivateKey));
        assert.match(RUN_SCRIPT, /umask 077/);
        assert.match(RUN_SCRIPT, /trap 'rm -rf "\$work"' EXIT/);
        assert.match(RUN_SCRIPT, /StrictHostKeyChecking=yes -o UserKnownHostsFile=\$work\/known_hosts/);
    });
});
