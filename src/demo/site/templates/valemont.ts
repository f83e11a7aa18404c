// The Valemont Courier: a regional paper on an old CMS. Plain <meta> tags only, a table
// layout, windows-1252 pages, caption and credit in one paragraph, "Reactions" comments.
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn } from '../common.ts';
import { imagePath, related, renderBody, url, type SiteContext } from '../context.ts';

function chrome(ctx: SiteContext, title: string, head: string, main: string, side: string): string {
  const o = ctx.outlet;
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />
<title>${esc(title)}</title>
${head}
<link rel="stylesheet" type="text/css" href="${url('/valemont/css/courier.css')}" />
<link rel="alternate" type="application/rss+xml" title="Valemont Courier - Latest news (RSS 1.0)" href="${url(o.feedPath)}" />
<script type="text/javascript" src="${url('/valemont/js/jquery.min.js')}"></script>
</head>
<body>
<div id="wrapper">
<div id="header"><a href="${url(o.home)}"><img src="${url('/valemont/images/logo.svg')}" alt="The Valemont Courier" width="360" height="60" border="0" /></a>
<div id="meteo">Saint-Clair: 11&deg;C, showers</div></div>
<div id="menu"><a href="${url('/valemont/index.html')}">Home</a> | <a href="${url('/valemont/section/region.html')}">Region</a> | <a href="${url('/valemont/section/national.html')}">National</a> | <a href="${url('/valemont/section/economy.html')}">Economy</a> | <a href="${url('/valemont/section/sport.html')}">Sport</a> | <a href="${url('/valemont/section/culture.html')}">Culture</a> | <a href="${url('/valemont/section/obituaries.html')}">Obituaries</a> | <a href="${url('/valemont/petites-annonces.html')}">Classifieds</a></div>
<table id="layout" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td id="colonne-gauche" valign="top" width="180">
<div class="bloc"><b>Services</b><br /><a href="${url('/valemont/abonnement.html')}">Subscribe to the paper</a><br /><a href="${url('/valemont/avis-de-deces.html')}">Death notices</a><br /><a href="${url('/valemont/horaires-marees.html')}">Tide tables</a><br /><a href="${url('/valemont/pharmacies.html')}">Pharmacies on duty</a></div>
<div class="bloc pub">Advertising<br /><a href="${url('/valemont/annonceurs.html')}"><img src="${url('/valemont/images/pub-garage.svg')}" alt="Garage Moreau &amp; Fils - Saint-Clair" width="160" height="120" /></a></div>
</td>
<td id="contenu" valign="top">
${main}
</td>
<td id="colonne-droite" valign="top" width="220">
${side}
</td>
</tr></table>
<div id="footer">&copy; 2026 The Valemont Courier &ndash; 3, rue des Tanneurs, Saint-Clair &ndash; <a href="${url('/valemont/mentions-legales.html')}">Legal notice</a> &ndash; <a href="${url('/valemont/contact.html')}">Contact the newsroom</a> &ndash; <a href="${url(o.feedPath)}">RSS</a><br />The Valemont Courier is a fictional outlet in the Occasional Digest demo sample.</div>
</div>
<script type="text/javascript">var _paq=_paq||[];_paq.push(['trackPageView']);</script>
</body>
</html>
`;
}

function side(a: DemoArticle | null, ctx: SiteContext): string {
  const rel = a ? related(a, ctx, 4) : ctx.articles.slice(0, 4);
  return `<div class="bloc"><b>Also in the Courier</b><ul>${rel.map((r) => `<li><a href="${url(r.path)}">${esc(r.title)}</a></li>`).join('')}</ul></div>
<div class="bloc lettre"><b>The Courier by e-mail</b><p>Receive the morning edition's headlines every day at 6 a.m.</p><form action="#" method="post"><input type="text" name="courriel" size="18" /><input type="submit" value="OK" /></form></div>`;
}

export function valemontPage(a: DemoArticle, ctx: SiteContext): string {
  const o = ctx.outlet;
  const img = a.image ? url(imagePath(a)) : null;
  const head = `<meta name="description" content="${esc(a.dek ?? '')}" />
<meta name="keywords" content="${esc(a.tags.join(', '))}" />
<meta name="author" content="${esc(a.authors.join(', '))}" />
<meta name="date" content="${isoIn(a.published, o.offsetMin)}" />
<meta name="copyright" content="The Valemont Courier" />`;
  const body = renderBody(a, {
    lead: a.dateline ? `<b>${esc(a.dateline)}</b> &ndash; ` : '',
    para: (h) => `<p>${h}</p>`,
    heading: (h) => `<p class="intertitre"><b>${h}</b></p>`,
    pull: (t) => `<div class="exergue">&laquo;&nbsp;${esc(t.replace(/^[“"]|[”"]$/g, ''))}&nbsp;&raquo;</div>`,
    pullAfter: 1,
  });
  const comments = a.comments.length
    ? `<div id="reactions"><h3>Reactions (${a.comments.length})</h3>${a.comments.map((c) => `<div class="reaction"><p class="auteur">${esc(c.name)} wrote:</p><p>${esc(c.text)}</p></div>`).join('\n')}<p><a href="${url('/valemont/reagir.html')}">React to this article</a> (subscribers only)</p></div>`
    : '';
  const main = `<div class="fil">You are here: <a href="${url(o.home)}">Home</a> &gt; <a href="${url(`/valemont/section/${a.section.toLowerCase()}.html`)}">${esc(a.section)}</a></div>
<div class="article">
<h1 class="titre">${esc(a.title)}</h1>
${a.dek ? `<p class="chapo"><b>${esc(a.dek)}</b></p>` : ''}
<p class="signature">By ${esc(a.authors.join(' and '))}${a.role ? ` (${esc(a.role)})` : ''} &ndash; ${esc(humanDate(a.published, 'numeric', o.offsetMin))}${a.updated ? ` (updated ${esc(humanDate(a.updated, 'numeric', o.offsetMin))})` : ''}</p>
${a.image && img ? `<div class="photo"><img src="${img}" alt="${esc(a.image.alt)}" width="480" height="270" /><p class="legende">${esc(a.image.caption)} (Photo: ${esc(a.image.credit)})</p></div>` : ''}
<div class="texte">
${body}
</div>
<p class="outils"><a href="javascript:window.print()">Print</a> | <a href="#">Send to a friend</a> | <a href="#">Share on Facebook</a> | <a href="#">Share on X</a> | <a href="#">Text size A+ / A-</a></p>
</div>
${comments}`;
  return chrome(ctx, `${a.title} - The Valemont Courier`, head, main, side(a, ctx));
}

export function valemontHome(ctx: SiteContext): string {
  const o = ctx.outlet;
  const main = `<h1 class="titre">Latest news</h1>${ctx.articles.map((a) => `<div class="une"><h2><a href="${url(a.path)}">${esc(a.title)}</a></h2><p>${esc(a.dek ?? '')} <i>${esc(humanDate(a.published, 'numeric', o.offsetMin))}</i></p></div>`).join('\n')}`;
  return chrome(ctx, 'The Valemont Courier - Daily news of Saint-Clair and the Valemont region', '<meta name="description" content="Daily news of Saint-Clair and the Valemont region." />', main, side(null, ctx));
}
