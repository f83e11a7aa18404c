// Lead images of the demo sample: small SVG illustrations drawn from a scene kind and a
// seed, so the sample carries no downloaded pictures.
import { shortHash } from './common.ts';

type Scene = (r: () => number) => string;

function rng(seed: string): () => number {
  let h = parseInt(shortHash(seed, 8), 16) || 1;
  return () => {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    return ((h >>> 0) % 10_000) / 10_000;
  };
}

const skyline = (r: () => number, y0 = 330, fill = '#2b3440'): string => {
  let s = '';
  for (let x = 0; x < 800; ) {
    const w = 40 + Math.floor(r() * 60);
    const h = 60 + Math.floor(r() * 160);
    s += `<rect x="${x}" y="${y0 - h}" width="${w - 4}" height="${h}" fill="${fill}"/>`;
    for (let wy = y0 - h + 12; wy < y0 - 12; wy += 22)
      for (let wx = x + 8; wx < x + w - 14; wx += 16)
        if (r() > 0.45) s += `<rect x="${wx}" y="${wy}" width="7" height="10" fill="#f3d27a" opacity="0.8"/>`;
    x += w;
  }
  return s;
};

const SCENES: Record<string, Scene> = {
  talks: (r) =>
    `<rect width="800" height="450" fill="#e9e2d3"/><rect x="0" y="0" width="800" height="90" fill="#8a6f4d"/>` +
    `<rect x="150" y="250" width="500" height="60" rx="8" fill="#5b3b22"/>` +
    [200, 300, 400, 500, 600].map((x) => `<circle cx="${x}" cy="${210 + r() * 10}" r="26" fill="#33404d"/><rect x="${x - 30}" y="${235}" width="60" height="20" fill="#33404d"/>`).join('') +
    `<rect x="90" y="100" width="8" height="200" fill="#666"/><rect x="98" y="100" width="70" height="45" fill="#2f5d9a"/>` +
    `<rect x="700" y="100" width="8" height="200" fill="#666"/><rect x="632" y="100" width="70" height="45" fill="#b33a3a"/>`,
  quake: (r) =>
    `<rect width="800" height="450" fill="#d8d2c8"/>` + skyline(r, 360, '#6b6259') +
    `<polyline points="0,380 120,372 200,395 310,368 420,400 530,375 640,398 800,370" stroke="#222" stroke-width="6" fill="none"/>` +
    `<rect x="0" y="380" width="800" height="70" fill="#8d8475"/><circle cx="${300 + r() * 200}" cy="200" r="90" fill="#c9c0b1" opacity="0.7"/>`,
  bank: (r) =>
    `<rect width="800" height="450" fill="#eef1f4"/><polygon points="200,140 400,60 600,140" fill="#9aa5b1"/>` +
    [230, 300, 370, 440, 510].map((x) => `<rect x="${x}" y="150" width="36" height="190" fill="#c2c9d1"/>`).join('') +
    `<rect x="200" y="340" width="400" height="30" fill="#9aa5b1"/>` +
    `<polyline points="${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `${620 + i * 22},${120 + Math.floor(r() * 60) + i * 12}`).join(' ')}" stroke="#1f7a4d" stroke-width="5" fill="none"/>`,
  laptop: (r) =>
    `<rect width="800" height="450" fill="#1d2330"/><rect x="220" y="90" width="360" height="230" rx="12" fill="#3a4355"/>` +
    `<rect x="236" y="106" width="328" height="198" fill="#6fa8dc"/><polygon points="170,330 630,330 680,370 120,370" fill="#596378"/>` +
    `<circle cx="${380 + r() * 40}" cy="205" r="40" fill="#f28c28" opacity="0.85"/><text x="400" y="218" font-family="sans-serif" font-size="40" text-anchor="middle" fill="#fff">!</text>`,
  ballot: (r) =>
    `<rect width="800" height="450" fill="#f4efe6"/><rect x="280" y="180" width="240" height="190" fill="#2f5d9a"/>` +
    `<rect x="350" y="172" width="100" height="12" fill="#13294b"/><rect x="360" y="${60 + r() * 20}" width="80" height="120" fill="#fff" stroke="#999"/>` +
    `<path d="M375 120 l15 15 l30 -35" stroke="#b33a3a" stroke-width="8" fill="none"/>`,
  storm: (r) =>
    `<rect width="800" height="450" fill="#4a5866"/>` +
    [0, 1, 2, 3].map((i) => `<ellipse cx="${120 + i * 190}" cy="${90 + r() * 40}" rx="150" ry="60" fill="#2e3944"/>`).join('') +
    `<polygon points="420,150 380,260 420,260 390,350 470,220 430,220 460,150" fill="#f7e27c"/>` +
    `<path d="M0 360 Q 100 300 200 360 T 400 360 T 600 360 T 800 360 V450 H0Z" fill="#1f4e6b"/>`,
  stadium: (r) =>
    `<rect width="800" height="450" fill="#0f2a1a"/><ellipse cx="400" cy="300" rx="380" ry="140" fill="#2f7d3b"/>` +
    `<ellipse cx="400" cy="300" rx="80" ry="30" fill="none" stroke="#fff" stroke-width="4"/><line x1="400" y1="160" x2="400" y2="440" stroke="#fff" stroke-width="4"/>` +
    `<circle cx="${300 + r() * 200}" cy="280" r="12" fill="#fff"/>` +
    [80, 720].map((x) => `<rect x="${x - 6}" y="30" width="12" height="130" fill="#ccc"/><rect x="${x - 30}" y="20" width="60" height="20" fill="#fffbe0"/>`).join(''),
  transit: (r) =>
    `<rect width="800" height="450" fill="#dfe7ec"/>` + skyline(r, 300, '#9aa7b0') +
    `<rect x="${120 + r() * 80}" y="250" width="420" height="110" rx="16" fill="#c0392b"/>` +
    [0, 1, 2, 3, 4].map((i) => `<rect x="${150 + i * 75}" y="268" width="55" height="40" fill="#cfe3f0"/>`).join('') +
    `<rect x="0" y="360" width="800" height="90" fill="#555"/>`,
  city: (r) => `<rect width="800" height="450" fill="#f2c57c"/>` + skyline(r, 380) + `<rect x="0" y="380" width="800" height="70" fill="#1e2630"/>`,
  port: (r) =>
    `<rect width="800" height="450" fill="#a9d0e8"/><rect x="0" y="300" width="800" height="150" fill="#2a6f97"/>` +
    [0, 1, 2, 3, 4, 5].map((i) => `<rect x="${100 + i * 60}" y="${240 - (i % 3) * 28}" width="55" height="26" fill="${['#c0392b', '#2980b9', '#27ae60', '#e67e22'][Math.floor(r() * 4)]}"/>`).join('') +
    `<polygon points="80,300 520,300 480,340 120,340" fill="#333"/><rect x="600" y="120" width="10" height="180" fill="#e67e22"/><rect x="560" y="120" width="150" height="10" fill="#e67e22"/>`,
  museum: (r) =>
    `<rect width="800" height="450" fill="#efe9dd"/><rect x="120" y="80" width="560" height="300" fill="#fff" stroke="#b9ad97" stroke-width="6"/>` +
    `<path d="M200 300 Q 300 ${150 + r() * 60} 400 300 T 600 300" stroke="#2a4d69" stroke-width="14" fill="none"/><polygon points="380,150 420,150 440,230 360,230" fill="#8a5a44"/>`,
  vineyard: (r) =>
    `<rect width="800" height="450" fill="#f6e3b4"/><circle cx="650" cy="90" r="50" fill="#f5a623"/>` +
    [0, 1, 2, 3, 4, 5].map((i) => `<path d="M0 ${220 + i * 40} Q 400 ${190 + i * 40 + r() * 20} 800 ${220 + i * 40}" stroke="#4b7b2c" stroke-width="14" fill="none"/>`).join(''),
  piano: (r) =>
    `<rect width="800" height="450" fill="#1c1c1c"/><rect x="100" y="250" width="600" height="110" fill="#fafafa"/>` +
    Array.from({ length: 20 }, (_, i) => `<line x1="${100 + i * 30}" y1="250" x2="${100 + i * 30}" y2="360" stroke="#999"/>`).join('') +
    Array.from({ length: 19 }, (_, i) => ([2, 6, 9, 13, 16].includes(i % 7 + (i > 6 ? 7 : 0)) ? '' : `<rect x="${120 + i * 30}" y="250" width="18" height="65" fill="#111"/>`)).join('') +
    `<circle cx="${400 + r() * 50}" cy="120" r="60" fill="#f3d27a" opacity="0.35"/>`,
  sea: (r) =>
    `<rect width="800" height="450" fill="#04203a"/>` +
    Array.from({ length: 30 }, () => `<circle cx="${Math.floor(r() * 800)}" cy="${Math.floor(r() * 450)}" r="${1 + r() * 3}" fill="#7fd3ff" opacity="0.6"/>`).join('') +
    `<ellipse cx="400" cy="230" rx="120" ry="50" fill="#e8b4c8"/><polygon points="510,230 580,190 580,270" fill="#e8b4c8"/><circle cx="340" cy="220" r="9" fill="#04203a"/>`,
  bike: (r) =>
    `<rect width="800" height="450" fill="#dff0e3"/><rect x="0" y="330" width="800" height="120" fill="#7f8c8d"/><rect x="0" y="350" width="800" height="40" fill="#27ae60"/>` +
    [280, 500].map((x) => `<circle cx="${x}" cy="${300 + r() * 4}" r="60" fill="none" stroke="#222" stroke-width="8"/>`).join('') +
    `<polyline points="280,300 360,200 470,200 500,300 390,300 360,200" stroke="#c0392b" stroke-width="8" fill="none"/>`,
  book: (r) =>
    `<rect width="800" height="450" fill="#f1e7d0"/><rect x="230" y="80" width="340" height="300" fill="#7b2d26"/>` +
    `<rect x="250" y="100" width="300" height="260" fill="none" stroke="#e0c07a" stroke-width="4"/><rect x="${300 + r() * 20}" y="170" width="200" height="14" fill="#e0c07a"/>`,
  kitchen: (r) =>
    `<rect width="800" height="450" fill="#fbeee0"/><ellipse cx="400" cy="300" rx="220" ry="60" fill="#fff" stroke="#ccc" stroke-width="4"/>` +
    `<circle cx="${360 + r() * 20}" cy="280" r="40" fill="#c0392b"/><circle cx="450" cy="290" r="30" fill="#27ae60"/><rect x="600" y="120" width="16" height="200" fill="#888"/>`,
  portrait: (r) =>
    `<rect width="800" height="450" fill="#d9d4cc"/><circle cx="400" cy="${170 + r() * 5}" r="80" fill="#6b5b4e"/><path d="M250 450 Q 400 250 550 450Z" fill="#3b3330"/>`,
  energy: (r) =>
    `<rect width="800" height="450" fill="#e4f1f7"/>` +
    [0, 1, 2, 3].map((i) => `<rect x="${120 + i * 150}" y="${180 + r() * 30}" width="110" height="160" rx="10" fill="#2c3e50"/><rect x="${150 + i * 150}" y="${165 + r() * 10}" width="50" height="20" fill="#2c3e50"/>`).join('') +
    `<polygon points="410,210 380,270 405,270 390,320 440,250 414,250 430,210" fill="#f1c40f"/>`,
};

/** SVG markup for an image kind (unknown kinds fall back to a city skyline). */
export function renderSvg(kind: string, seed: string, label: string): string {
  const scene = SCENES[kind] ?? SCENES.city;
  const r = rng(seed + kind);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450" role="img">` +
    `<title>${label.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>${scene(r)}</svg>\n`
  );
}

export const IMAGE_KINDS = Object.keys(SCENES);
