/* The table preview in the page's language (on CKAN's datatables_view: this
 * module is initialised first on the same table, so that its handlers see
 * the very first request and answer of the table):
 *
 * - every row drawn shows numbers, dates and yes/no as people write them:
 *   1234.56 (numeric) is 1.234,56 and 2024-12-31 (date) is 31/12/2024 in
 *   Portuguese, true is "Sim"; whole numbers keep their digits (a year is a
 *   whole number as often as a count). Decimals are formatted from their
 *   text, digit by digit: never through a float.
 * - a text with web addresses is drawn here, its links whole and their text
 *   shortened: CKAN's renderer cut a long address inside its <a> tag, and
 *   the broken tag swallowed the rest of the row (a String object passes
 *   through CKAN's renderer untouched);
 * - a column filter typed the same way (31/12/2024, 1.234,56, sim) is sent
 *   as the DataStore stores it (2024-12-31, 1234.56, true);
 * - the column filters, the search box and the page-length menu get labels
 *   (screen readers, axe), and date filters a dd/mm/aaaa hint.
 *
 * Options (data-module-*): language (CKAN's, e.g. pt_BR); filterLabel
 * ("... {column}"), datePlaceholder, yes, no, searchLabel, pageLengthLabel,
 * keysLabel: translated by the template. The columns' types come from CKAN's gdataDict.
 */
/* global gdataDict gresviewId */
this.ckan.module('mogi-preview', function ($) {
  'use strict';

  const DECIMAL = ['numeric', 'float4', 'float8'];
  const LINK = /\bhttps?:\/\/[^\s<>"]+/g;
  const LINK_TEXT = 40;
  const DATE = ['date'];
  const DATETIME = ['timestamp', 'timestamptz'];
  const BOOLEAN = ['bool', 'boolean'];

  function has (list, type) {
    return list.indexOf(type) !== -1;
  }

  return {
    options: {
      language: 'pt_BR',
      filterLabel: '{column}',
      datePlaceholder: '',
      yes: 'true',
      no: 'false',
      searchLabel: '',
      pageLengthLabel: '',
      keysLabel: '',
      narrow: '(max-width: 575.98px)'
    },

    initialize: function () {
      const tag = String(this.options.language || 'pt_BR').replace('_', '-');
      const parts = new Intl.NumberFormat(tag).formatToParts(12345.6);
      const part = function (type, fallback) {
        const found = parts.find(function (p) { return p.type === type; });
        return found ? found.value : fallback;
      };
      this.group = part('group', '.');
      this.decimal = part('decimal', ',');
      this.dateOrder = this._dateOrder(tag);
      this.types = {};
      const types = this.types;
      gdataDict.forEach(function (field) { types[field.id] = field.type; });

      this._narrowStartsAsList();
      const table = this.el;
      table.on('xhr.dt', this._onData.bind(this));
      table.on('preXhr.dt', this._onRequest.bind(this));
      table.on('draw.dt init.dt', this._label.bind(this));
    },

    /* On a narrow screen the table starts in DataTables' list mode (the
     * columns that do not fit fold under each row, a tap on the row's first
     * cell unfolds them), unless the visitor chose a mode for this view
     * before (CKAN's module keeps it in localStorage as lastView-<view>). */
    _narrowStartsAsList: function () {
      const key = 'lastView-' + gresviewId;
      try {
        if (window.matchMedia(this.options.narrow).matches && !window.localStorage.getItem(key)) {
          window.localStorage.setItem(key, JSON.stringify({value: 'list', expiry: 0}));
        }
      } catch (e) {
        // no localStorage (private mode): CKAN's default mode
      }
    },

    /* The order of day, month and year in the language's short dates. */
    _dateOrder: function (tag) {
      const sample = new Intl.DateTimeFormat(tag, {day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC'})
        .formatToParts(Date.UTC(2024, 11, 31));
      return sample.filter(function (p) { return ['day', 'month', 'year'].indexOf(p.type) !== -1; })
        .map(function (p) { return p.type; });
    },

    /* "1234567.891" -> "1.234.567,891" (the text's own digits, no rounding). */
    formatDecimal: function (text) {
      const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
      if (!match) {
        const number = Number(text);
        return isFinite(number) && text !== ''
          ? new Intl.NumberFormat(this.group === '.' ? 'pt-BR' : 'en', {maximumFractionDigits: 20}).format(number)
          : text;
      }
      const whole = match[2].replace(/\B(?=(\d{3})+(?!\d))/g, this.group);
      return match[1] + whole + (match[3] ? this.decimal + match[3] : '');
    },

    /* "2024-12-31" -> "31/12/2024" (the language's order). */
    formatDate: function (text) {
      const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
      if (!match) {
        return text;
      }
      const pieces = {year: match[1], month: match[2], day: match[3]};
      return this.dateOrder.map(function (name) { return pieces[name]; }).join('/');
    },

    /* "2024-12-31T14:30:00" -> "31/12/2024 14:30". */
    formatDateTime: function (text) {
      const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?/.exec(text);
      if (!match) {
        return text;
      }
      const seconds = match[3] && !/^:00(\.0+)?$/.test(match[3]) ? match[3].slice(0, 3) : '';
      return this.formatDate(match[1]) + ' ' + match[2] + seconds;
    },

    format: function (value, type) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return value;
      }
      const text = String(value);
      if (text === '') {
        return text;
      }
      if (has(DECIMAL, type)) {
        return this.formatDecimal(text);
      }
      if (has(DATE, type)) {
        return this.formatDate(text);
      }
      if (has(DATETIME, type)) {
        return this.formatDateTime(text);
      }
      if (has(BOOLEAN, type)) {
        const lower = text.toLowerCase();
        if (lower === 'true') {
          return this.options.yes;
        }
        if (lower === 'false') {
          return this.options.no;
        }
      }
      if (typeof value === 'string' && value.search(LINK) !== -1) {
        return this.links(value);
      }
      return value;
    },

    /* A text (HTML-escaped by the server) with its addresses as whole links,
     * each shown by its first characters. */
    links: function (text) {
      // eslint-disable-next-line no-new-wrappers
      return new String(text.replace(LINK, function (address) {
        const shown = address.length > LINK_TEXT ? address.slice(0, LINK_TEXT - 1) + '…' : address;
        return '<a href="' + address + '" target="_blank" rel="noopener noreferrer">' + shown + '</a>';
      }));
    },

    /* The rows of a page, as CKAN's ajax view sends them, formatted in place. */
    _onData: function (_event, _settings, json) {
      if (!json || !Array.isArray(json.data)) {
        return;
      }
      const self = this;
      json.data.forEach(function (row) {
        Object.keys(self.types).forEach(function (name) {
          if (Object.prototype.hasOwnProperty.call(row, name)) {
            row[name] = self.format(row[name], self.types[name]);
          }
        });
      });
    },

    /* A filter typed as people write it, as the DataStore stores it. */
    stored: function (text, type) {
      const value = text.trim();
      if (has(DATE, type) || has(DATETIME, type)) {
        const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
        if (match) {
          const pieces = {};
          const order = this.dateOrder;
          [match[1], match[2], match[3]].forEach(function (piece, i) { pieces[order[i]] = piece; });
          const pad = function (n) { return ('0' + n).slice(-2); };
          return pieces.year + '-' + pad(pieces.month) + '-' + pad(pieces.day);
        }
      } else if (has(DECIMAL, type)) {
        const plain = value.split(this.group).join('').replace(this.decimal, '.');
        if (/^-?\d+(\.\d+)?$/.test(plain)) {
          return plain;
        }
      } else if (has(BOOLEAN, type)) {
        const lower = value.toLowerCase();
        if (lower === String(this.options.yes).toLowerCase()) {
          return 'true';
        }
        if (lower === String(this.options.no).toLowerCase()) {
          return 'false';
        }
      }
      return text;
    },

    _onRequest: function (_event, _settings, data) {
      const self = this;
      (data.columns || []).forEach(function (column) {
        const type = self.types[column.name];
        if (type && column.search && column.search.value) {
          column.search.value = self.stored(column.search.value, type);
        }
      });
    },

    /* Labels for the controls CKAN's module and DataTables create unnamed
     * (the scrolling header is a copy of the table's: both are labelled). */
    _label: function () {
      const options = this.options;
      $('th.fhead').each(function () {
        const cell = $(this);
        const label = cell.data('label') || cell.text();
        const type = String(cell.data('type') || '');
        cell.find('input').each(function () {
          this.setAttribute('aria-label', options.filterLabel.replace('{column}', label));
          if ((has(DATE, type) || has(DATETIME, type)) && options.datePlaceholder) {
            this.setAttribute('placeholder', options.datePlaceholder);
          } else {
            this.removeAttribute('placeholder');
          }
        });
      });
      if (options.searchLabel) {
        $('.dataTables_filter input').attr('aria-label', options.searchLabel);
      }
      if (options.pageLengthLabel) {
        $('.dataTables_length select').attr('aria-label', options.pageLengthLabel);
      }
      // KeyTable's focus catcher: Tab lands on it, the arrow keys then move
      // through the cells.
      if (options.keysLabel) {
        $('input[type="text"]:not([aria-label])').attr('aria-label', options.keysLabel);
      }
      // scrollResize watches the size of its wrapper through an empty frame.
      $('#resize_wrapper > iframe').attr({'aria-hidden': 'true', tabindex: '-1', title: ''});
    }
  };
});
