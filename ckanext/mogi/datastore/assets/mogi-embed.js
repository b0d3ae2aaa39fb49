/* The "Embed" button of a resource view: the dialog with the HTML code that
 * embeds the view elsewhere. CKAN's resource-view-embed module, with the
 * frame's title given by the template (translated) instead of "Data viewer".
 *
 * Options (data-module-*): id - the view's id; url - the view's address;
 * title - the frame's title; width, height - the initial size.
 */
this.ckan.module('mogi-embed', function ($) {
  'use strict';
  return {
    options: {id: '', url: '#', title: '', width: 700, height: 400},

    initialize: function () {
      const options = this.options;
      const modal = $('#embed-' + options.id);
      $('body').append(modal);
      const code = $('textarea', modal);
      const escape = function (text) {
        return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;')
          .replace(/</g, '&lt;').replace(/>/g, '&gt;');
      };
      const update = function () {
        const width = parseInt($('[name="width"]', modal).val(), 10) || options.width;
        const height = parseInt($('[name="height"]', modal).val(), 10) || options.height;
        code.val('<iframe title="' + escape(options.title) + '" width="' + width +
                 '" height="' + height + '" src="' + escape(options.url) + '" frameborder="0"></iframe>');
      };
      this.el.on('click', function (event) {
        event.preventDefault();
        modal.modal('show');
      });
      code.on('focus', function () { code.select(); });
      $('input', modal).on('keyup change', update);
      update();
    }
  };
});
