/* A long dataset description on a phone: folded to a few lines, with a
 * button that unfolds it, so that the seal, the validation state and the
 * download and preview buttons stay on the first screen.
 *
 * Options (data-module-*): more, less - the button's labels (translated by
 * the template); target - the element to fold, inside the module's element.
 * Wide screens and short descriptions are left alone; focus moving into the
 * folded part (a link, by keyboard) unfolds it.
 */
this.ckan.module('mogi-fold', function ($) {
  'use strict';
  return {
    options: {more: '', less: '', target: '.notes', media: '(max-width: 767.98px)'},

    initialize: function () {
      const target = this.el[0].querySelector(this.options.target);
      if (!target || !window.matchMedia(this.options.media).matches) {
        return;
      }
      target.classList.add('mogi-dobrado');
      // Not worth folding: less than two hidden lines.
      const lineHeight = parseFloat(window.getComputedStyle(target).lineHeight) || 24;
      if (target.scrollHeight <= target.clientHeight + 2 * lineHeight) {
        target.classList.remove('mogi-dobrado');
        return;
      }
      target.id = target.id || 'mogi-dobra-' + Math.random().toString(36).slice(2);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-link btn-sm mogi-dobra-botao';
      button.setAttribute('aria-controls', target.id);
      const options = this.options;
      const show = function (open) {
        target.classList.toggle('mogi-dobrado', !open);
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
        button.textContent = open ? options.less : options.more;
      };
      button.addEventListener('click', function () {
        show(target.classList.contains('mogi-dobrado'));
      });
      target.addEventListener('focusin', function () { show(true); });
      target.after(button);
      show(false);
    }
  };
});
