// podplay-embed.js: turns every <pre class="podplay"> on a page into a live playground.
//
//   <script src="https://example.org/podplay/podplay-embed.js" defer></script>
//   <pre class="podplay">apiVersion: v1 …</pre>                 a manifest: it opens in the editor
//   <pre class="podplay" data-kind="script">kubectl …</pre>     a session: its commands run
//   data-height="480"                                           the playground's height in px
//
// Each block becomes an <iframe> of the playground next to this script, sized to the block's
// container, following the page's light or dark mode, independent of the others.
(function () {
  var here = document.currentScript && document.currentScript.src;
  var base = here ? here.replace(/[^/]*$/, '') : './';

  function b64url(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function dark() {
    var t = document.documentElement.getAttribute('data-theme');
    if (t === 'dark' || t === 'light') return t === 'dark';
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  }

  function embed(pre) {
    var text = pre.textContent.replace(/^\n/, '');
    var kind = pre.getAttribute('data-kind') || (/^\s*(apiVersion|kind):/m.test(text) ? 'yaml' : 'script');
    var frame = document.createElement('iframe');
    frame.className = 'podplay-frame';
    frame.title = 'podplay: a Kubernetes Pod playground';
    frame.loading = 'lazy';
    frame.style.width = '100%';
    frame.style.height = (parseInt(pre.getAttribute('data-height'), 10) || 520) + 'px';
    frame.style.border = '1px solid rgba(127,127,127,.4)';
    frame.style.borderRadius = '8px';
    frame.src = base + 'embed.html?theme=' + (dark() ? 'dark' : 'light') + '#' + kind + '=' + b64url(text);
    pre.replaceWith(frame);
  }

  function all() {
    document.querySelectorAll('pre.podplay').forEach(embed);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
})();
