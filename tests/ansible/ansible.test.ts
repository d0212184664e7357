/**
 * The playbooks with the real tools (issue #16): ansible-lint (production profile) and --syntax-check on site.yml,
 * then ONE render run (`--tags render`, connection local, one host per group from the prod stack's inventory) whose
 * every file is checked by its own program: haproxy -c, sshd -t, nft -c, chronyd -p, rsyslogd -N1, apt-config; and a
 * second run that must change nothing. A missing binary skips with a message, unless CI is set: then it fails.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ANSIBLE_DIR } from "../../components/onprem";
import { HEALTH_CHECK_PORT } from "../../model/ports";
import { ON_PREM_GROUPS, renderInventory } from "../../model/onPremHosts";
import { stackConfig } from "../support";

const TOOLS = ["ansible-playbook", "ansible-lint", "haproxy", "sshd", "nft", "chronyd", "rsyslogd", "ssh-keygen", "openssl", "apt-config"];
const which = (tool: string) => ["/usr/bin", "/usr/sbin", "/bin", "/sbin"].map((d) => path.join(d, tool)).find(existsSync);
const missing = TOOLS.filter((t) => !which(t));
const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
    const r = spawnSync(which(cmd) ?? cmd, args, { encoding: "utf8", cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: 600_000 });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

const cfg = stackConfig("prod");
// One host per group: every template is rendered, in half the time of the whole estate.
const onPrem = {
    ...cfg.onPrem!,
    hosts: Object.fromEntries(ON_PREM_GROUPS.map((g) => [g, cfg.onPrem!.hosts[g].slice(0, 1)])) as NonNullable<typeof cfg.onPrem>["hosts"],
};
const inventory = renderInventory(onPrem, {
    portalHostname: cfg.dns.hostname,
    healthCheckPath: "/healthz",
    onPremCidrs: cfg.network.onPrem!.cidrs,
    vpcCidrs: [cfg.network.vpcCidr, ...cfg.network.peerVpcCidrs],
    rateLimitPer5Minutes: cfg.app.wafRateLimit,
});
const host = (g: (typeof ON_PREM_GROUPS)[number]) => onPrem.hosts[g][0].name;

describe("ansible: the playbooks with the real tools", function () {
    this.timeout(900_000);
    let dir = "";
    let out = "";
    let firstRun = { status: 0 as number | null, out: "" };
    const file = (g: (typeof ON_PREM_GROUPS)[number], rel: string) => path.join(out, host(g), rel);

    before(function () {
        if (missing.length > 0) {
            if (process.env.CI) throw new Error(`CI is set and these tools are missing: ${missing.join(", ")} (.ci/run installs them)`);
            console.log(
                `      skipped: ${missing.join(", ")} not installed (apt-get install ansible ansible-lint haproxy openssh-server nftables chrony rsyslog)`,
            );
            this.skip();
        }
        dir = mkdtempSync(path.join(tmpdir(), "ansible-render-"));
        out = path.join(dir, "out");
        mkdirSync(path.join(dir, "keys"));
        const key = (name: string) => path.join(dir, "keys", name);
        // sshd -t needs its host keys and its privilege separation directory; haproxy -c needs the certificate it serves.
        execFileSync(which("ssh-keygen")!, ["-q", "-t", "ed25519", "-N", "", "-f", key("ed25519")]);
        execFileSync(which("ssh-keygen")!, ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key("rsa")]);
        execFileSync(
            which("openssl")!,
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"].concat([
                "-subj",
                `/CN=${cfg.dns.hostname}`,
                "-keyout",
                key("k.pem"),
                "-out",
                key("c.pem"),
            ]),
            { stdio: "ignore" },
        );
        writeFileSync(key("portal.pem"), readFileSync(key("c.pem"), "utf8") + readFileSync(key("k.pem"), "utf8"));
        if (!existsSync("/run/sshd")) mkdirSync("/run/sshd", { recursive: true });
        writeFileSync(path.join(dir, "inventory.json"), inventory);
        writeFileSync(
            path.join(dir, "extra.json"),
            JSON.stringify({
                render_dir: out,
                ansible_connection: "local",
                ansible_python_interpreter: "/usr/bin/python3",
                base_ssh_host_keys: [key("ed25519"), key("rsa")],
                dmz_lb_certificate: key("portal.pem"),
                api_gateway_certificate: key("portal.pem"),
            }),
        );
        const started = Date.now();
        firstRun = render();
        console.log(`      render run: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    const render = () =>
        run("ansible-playbook", ["-i", path.join(dir, "inventory.json"), "site.yml", "--tags", "render", "-e", `@${path.join(dir, "extra.json")}`], {
            cwd: ANSIBLE_DIR,
            // Pipelining: each module over the local connection's stdin, no temporary files (a third of the run's time).
            env: {
                ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg"),
                ANSIBLE_NOCOLOR: "1",
                ANSIBLE_LOCAL_TEMP: path.join(dir, "tmp"),
                ANSIBLE_PIPELINING: "1",
            },
        });

    it("ansible-lint --profile production and --syntax-check pass on site.yml", () => {
        const lint = run("ansible-lint", ["--profile", "production", "--nocolor", "site.yml"], { cwd: ANSIBLE_DIR });
        assert.equal(lint.status, 0, lint.out);
        const syntax = run("ansible-playbook", ["--syntax-check", "-i", path.join(dir, "inventory.json"), "site.yml"], { cwd: ANSIBLE_DIR });
        assert.equal(syntax.status, 0, syntax.out);
    });

    it("the render run succeeds, and a second run changes nothing (idempotence)", () => {
        assert.equal(firstRun.status, 0, firstRun.out);
        const second = render();
        assert.equal(second.status, 0, second.out);
        for (const line of second.out.split("\n").filter((l) => / : ok=/.test(l))) assert.match(line, /changed=0 /, line);
    });

    it("base: sshd -t accepts sshd_config, and sshd -T shows keys only, no root, no weak algorithm", () => {
        const config = file("object_store", "etc/ssh/sshd_config");
        assert.equal(run("sshd", ["-t", "-f", config]).status, 0, run("sshd", ["-t", "-f", config]).out);
        const effective = run("sshd", ["-T", "-f", config]).out;
        for (const line of [
            "permitrootlogin no",
            "passwordauthentication no",
            "kbdinteractiveauthentication no",
            "authenticationmethods publickey",
            "x11forwarding no",
        ])
            assert.ok(effective.includes(`${line}\n`), line);
        for (const weak of [/^ciphers .*(cbc|3des|arcfour)/m, /^macs .*(md5|sha1[,-]|-96)/m, /^kexalgorithms .*(group1-|group14-sha1|group-exchange-sha1)/m])
            assert.doesNotMatch(effective, weak);
    });

    it("base: chronyd -p parses chrony.conf with the site's servers only and no command or NTP port", () => {
        const parsed = run("chronyd", ["-p", "-f", file("dmz_lb", "etc/chrony/chrony.conf")]);
        assert.equal(parsed.status, 0, parsed.out);
        for (const server of onPrem.ntpServers) assert.match(parsed.out, new RegExp(`^server ${server} iburst$`, "m"));
        assert.match(parsed.out, /^cmdport 0$/m);
        assert.match(parsed.out, /^port 0$/m);
    });

    it("base: apt-config reads the automatic security updates; the audit rules end immutable; ip_forward off outside the cluster", () => {
        const apt = run("apt-config", ["-c", file("api_gateway", "etc/apt/apt.conf.d/20auto-upgrades"), "dump"]);
        assert.match(apt.out, /APT::Periodic::Unattended-Upgrade "1";/);
        assert.match(readFileSync(file("api_gateway", "etc/apt/apt.conf.d/52unattended-upgrades-security"), "utf8"), /label=Debian-Security/);
        const rules = readFileSync(file("api_gateway", "etc/audit/rules.d/50-cis.rules"), "utf8").trim().split("\n");
        assert.equal(rules.at(-1), "-e 2");
        for (const watched of ["/etc/passwd", "/etc/shadow", "/etc/sudoers", "/etc/ssh/sshd_config"])
            assert.ok(
                rules.some((r) => r.startsWith(`-w ${watched} `)),
                watched,
            );
        assert.match(readFileSync(file("dmz_lb", "etc/sysctl.d/60-cis.conf"), "utf8"), /^net\.ipv4\.ip_forward = 0$/m);
        assert.doesNotMatch(readFileSync(file("k8s_nodes", "etc/sysctl.d/60-cis.conf"), "utf8"), /ip_forward/);
    });

    it("host_firewall: nft -c loads every host's ruleset; input drops by default and admits exactly the generated rules", () => {
        for (const g of ON_PREM_GROUPS) {
            const conf = file(g, "etc/nftables.conf");
            const check = run("nft", ["-c", "-f", conf]);
            assert.equal(check.status, 0, `${g}: ${check.out}`);
            const text = readFileSync(conf, "utf8");
            assert.match(text, /type filter hook input priority filter; policy drop;/);
            assert.doesNotMatch(text, /^\s*flush ruleset/m, "never flush the ruleset: kube-proxy and Canal own tables of their own");
            const accepts = text.split("\n").filter((l) => /dport .* accept comment/.test(l));
            const expected = JSON.parse(inventory).all.children[g].vars.host_firewall_rules as { flow: string }[];
            assert.deepEqual(
                accepts.map((l) => /comment "([^"]+)"/.exec(l)![1]),
                expected.map((r) => r.flow),
                g,
            );
        }
    });

    it("log_forwarding: rsyslogd -N1 accepts the SOC forwarding, over TLS with the receiver's name checked", () => {
        const snippet = file("k8s_nodes", "etc/rsyslog.d/60-soc.conf");
        const master = path.join(dir, "rsyslog.conf");
        mkdirSync(path.join(dir, "rsyslog"), { recursive: true });
        writeFileSync(master, `global(workDirectory="${path.join(dir, "rsyslog")}")\ninclude(file="${snippet}")\n`);
        const check = run("rsyslogd", ["-N1", "-f", master]);
        assert.equal(check.status, 0, check.out);
        const text = readFileSync(snippet, "utf8");
        for (const setting of [
            'StreamDriver="gtls"',
            'StreamDriverMode="1"',
            'StreamDriverAuthMode="x509/name"',
            `target="${onPrem.socSyslog.host}"`,
            `StreamDriverPermittedPeers="${onPrem.socSyslog.host}"`,
        ])
            assert.ok(text.includes(setting), setting);
        assert.match(
            readFileSync(file("k8s_nodes", "etc/default/prometheus-node-exporter"), "utf8"),
            new RegExp(`--web.listen-address=${onPrem.hosts.k8s_nodes[0].address}:9100`),
        );
    });

    const frontends = (cfgText: string) =>
        Object.fromEntries(
            cfgText
                .split(/\n(?=\S)/)
                .filter((s) => s.startsWith("frontend "))
                .map((s) => [s.split(/\s+/)[1], s]),
        );

    it("dmz_lb: haproxy -c accepts it; citizens get TLS 1.3 only with HSTS; the GSLB's port admits TLS 1.2 and answers the health path", () => {
        const conf = file("dmz_lb", "etc/haproxy/haproxy.cfg");
        const check = run("haproxy", ["-c", "-f", conf]);
        assert.equal(check.status, 0, check.out);
        const text = readFileSync(conf, "utf8");
        assert.match(text, /^\s*ssl-default-bind-options ssl-min-ver TLSv1\.3\b/m);
        const { citizens, health_checkers: health } = frontends(text);
        const citizenBinds = citizens.split("\n").filter((l) => /^\s*bind /.test(l));
        assert.ok(
            citizenBinds.length > 0 && citizenBinds.every((b) => / ssl /.test(b) && !/ssl-min-ver TLSv1\.[012]|force-tlsv1[012]/.test(b)),
            citizenBinds.join("\n"),
        );
        assert.match(citizens, /Strict-Transport-Security "max-age=(\d+); includeSubDomains"/);
        assert.ok(Number(/max-age=(\d+)/.exec(citizens)![1]) >= 31536000, "HSTS for a year at least");
        // The dr stack's on-prem Route 53 check probes HEALTH_CHECK_PORT (components/dr/globalTraffic.ts).
        assert.match(health, new RegExp(`bind \\S+:${HEALTH_CHECK_PORT} ssl .*ssl-min-ver TLSv1\\.2`));
        assert.match(health, /monitor-uri \/healthz/);
        assert.match(health, /monitor fail if \{ nbsrv\(ingress\) lt 1 \}/);
        for (const n of onPrem.hosts.k8s_nodes)
            assert.match(text, new RegExp(`server node-\\d+ ${n.address.replace(/\./g, "\\.")}:${onPrem.ingressPort}$`, "m"));
        assert.match(text, /default-server check .*ssl verify required/);
    });

    it("api_gateway: haproxy -c accepts it; only the DMZ load balancers may call it, rate-limited per citizen", () => {
        const conf = file("api_gateway", "etc/haproxy/haproxy.cfg");
        const check = run("haproxy", ["-c", "-f", conf]);
        assert.equal(check.status, 0, check.out);
        assert.doesNotMatch(check.out, /WARNING/, check.out);
        const { api } = frontends(readFileSync(conf, "utf8"));
        assert.match(api, new RegExp(`acl from_dmz_lb src ${onPrem.hosts.dmz_lb.map((h) => h.address).join(" ")}$`, "m"));
        assert.match(api, /http-request deny deny_status 403 unless from_dmz_lb/);
        assert.match(api, new RegExp(`deny_status 429 if \\{ sc_http_req_rate\\(0\\) gt ${cfg.app.wafRateLimit} \\}`));
    });

    it("k8s_prereqs: kernel modules, bridge and forwarding sysctls, RKE2's CIS profile on the node's address", () => {
        assert.deepEqual(
            readFileSync(file("k8s_nodes", "etc/modules-load.d/rke2.conf"), "utf8")
                .split("\n")
                .filter((l) => l && !l.startsWith("#")),
            ["overlay", "br_netfilter"],
        );
        const sysctl = readFileSync(file("k8s_nodes", "etc/sysctl.d/90-rke2.conf"), "utf8");
        for (const line of ["net.bridge.bridge-nf-call-iptables = 1", "net.ipv4.ip_forward = 1", "vm.overcommit_memory = 1", "kernel.panic = 10"])
            assert.ok(sysctl.includes(line), line);
        const rke2 = readFileSync(file("k8s_nodes", "etc/rancher/rke2/config.yaml"), "utf8");
        assert.match(rke2, /^profile: cis$/m);
        assert.match(rke2, /^protect-kernel-defaults: true$/m);
        assert.match(rke2, new RegExp(`^node-ip: ${onPrem.hosts.k8s_nodes[0].address}$`, "m"));
    });
});
