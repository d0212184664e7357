/** model/waf.ts: the regexes the WAF's upload exception is built from. */
import * as assert from "node:assert/strict";
import { greaterThanPattern, pathPrefixPattern } from "../../model/waf";

describe("model/waf", () => {
    it("greaterThanPattern matches exactly the integers above the limit", () => {
        for (const limit of [0, 7, 9, 10, 99, 100, 190, 8192, 26214400]) {
            const re = new RegExp(greaterThanPattern(limit));
            const probes = [0, 1, limit - 1, limit, limit + 1, limit * 10, limit + 1000, 99999999, 100000000].filter((n) => n >= 0);
            for (let n = Math.max(0, limit - 300); n <= limit + 300; n++) probes.push(n);
            for (const n of probes) assert.equal(re.test(String(n)), n > limit, `${n} > ${limit} (${re})`);
            assert.equal(re.test(`00${limit + 1}`), true, "leading zeros do not hide a large value");
            assert.equal(re.test(`${limit}x`), false);
        }
    });

    it("pathPrefixPattern anchors each prefix and escapes regex characters", () => {
        const re = new RegExp(pathPrefixPattern(["/documents/upload", "/api/v1.0"]));
        assert.ok(re.test("/documents/upload/123"));
        assert.ok(re.test("/api/v1.0/files"));
        assert.ok(!re.test("/api/v1x0/files"), "the dot is literal");
        assert.ok(!re.test("/evil/documents/upload"), "anchored at the start");
        assert.throws(() => pathPrefixPattern([]));
    });
});
