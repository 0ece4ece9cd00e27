// Writes X.gz beside every text file X of the build that gzip makes at least 10%
// smaller; hcms serves it to clients that accept gzip (src/web/admin_routes.h).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const TEXT = /\.(html|js|mjs|css|svg|json|webmanifest|txt|map)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      walk(p);
    } else if (TEXT.test(name)) {
      const body = readFileSync(p);
      if (body.length < 1024) continue;
      const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
      if (gz.length < body.length * 0.9) writeFileSync(`${p}.gz`, gz);
    }
  }
}

const out = process.argv[2];
if (!out) {
  console.error('usage: precompress.mjs DIR');
  process.exit(2);
}
walk(out);
