"""The search backend's plain modules, called directly."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.mogi.search import fields, index, lucene, query, text


class TestText:
    @pytest.mark.parametrize(("a", "b"), [
        ("licitações", "licitacao"), ("LICITAÇÕES", "licitacoes"), ("Saúde", "saude"),
        ("municipais", "municipal"), ("informações", "informacao"), ("pães", "pão"),
        ("possíveis", "possivel"), ("transparência", "transparencias"), ("ônibus", "onibus"),
    ])
    def test_spellings_meet(self, a, b):
        assert text.terms(a) == text.terms(b)

    def test_stopwords_and_order(self):
        assert text.terms("Unidades Básicas de Saúde") == ["unidad", "basic", "saud"]
        assert text.terms("de", keep_stopwords=True) == ["de"]

    def test_prefix_terms_are_not_stemmed(self):
        assert text.prefix_terms("Licitaç") == ["licitac"]


class TestFields:
    @pytest.mark.parametrize(("field", "kind"), [
        ("title", fields.Kind.TEXT), ("tags", fields.Kind.STRING),
        ("extras_periodicidade", fields.Kind.TEXT), ("vocab_temas", fields.Kind.STRING),
        ("metadata_modified", fields.Kind.DATE), ("data_publicacao_date", fields.Kind.DATE),
        ("periodicidade", fields.Kind.STRING),
    ])
    def test_kinds_follow_ckans_solr_schema(self, field, kind):
        assert fields.kind_of(field) is kind


class TestIndexRow:
    def test_row_from_document(self):
        row = index.build_row({
            "index_id": "i1", "id": "d1", "site_id": "s", "name": "escolas",
            "title": "Escolas Municipais", "tags": ["educação", "escolas"], "private": False,
            "num_resources": 2, "metadata_modified": "2026-01-02T03:04:05.123456Z",
            "data_dict": "{}", "validated_data_dict": "{}", "notes": None,
        })
        assert row["fields"]["tags"] == ["educação", "escolas"]
        assert row["fields"]["private"] == ["false"]
        assert row["fields"]["num_resources"] == ["2"]
        assert "notes" not in row["fields"] and "data_dict" not in row["doc"]
        assert row["weighted"]["A"] == "escol escol municipal"
        assert row["weighted"]["B"] == "educ escol"
        assert row["title_sort"] == "escolas municipais"
        assert row["metadata_modified"] == dt.datetime(2026, 1, 2, 3, 4, 5, 123456, dt.UTC)


class TestLucene:
    NOW = dt.datetime(2026, 11, 24, 15, 30, 12, tzinfo=dt.UTC)

    @pytest.mark.parametrize(("expr", "expected"), [
        ("NOW", dt.datetime(2026, 11, 24, 15, 30, 12, tzinfo=dt.UTC)),
        ("NOW-1DAY", dt.datetime(2026, 11, 23, 15, 30, 12, tzinfo=dt.UTC)),
        ("NOW/DAY", dt.datetime(2026, 11, 24, tzinfo=dt.UTC)),
        ("NOW-2MONTHS/MONTH", dt.datetime(2026, 9, 1, tzinfo=dt.UTC)),
        ("2024-01-31T10:00:00Z+1DAY", dt.datetime(2024, 2, 1, 10, tzinfo=dt.UTC)),
    ])
    def test_date_math(self, expr, expected):
        assert lucene.parse_date(expr, now=self.NOW) == expected

    @pytest.mark.parametrize("bad", ["ontem", "NOW-1FORTNIGHT", "NOW/WEEK"])
    def test_bad_dates_are_query_errors(self, bad):
        with pytest.raises(lucene.QueryError):
            lucene.parse_date(bad, now=self.NOW)

    def test_values_are_bound_never_inlined(self):
        params = lucene.Params()
        sql = lucene.translate("tags:\"x'; DROP TABLE package; --\" OR title:saúde", params).sql
        assert "DROP" not in sql and "saud" not in sql
        assert any("DROP TABLE" in str(v) for v in params.values.values())

    def test_bad_field_name_refused(self):
        with pytest.raises(lucene.QueryError):
            lucene.translate("ti'tle:x", lucene.Params())


class TestQueryHelpers:
    @pytest.mark.parametrize(("optional", "required"), [(1, 1), (2, 2), (3, 2), (5, 4),
                                                        (6, 4), (10, 8)])
    def test_min_should_match_ckan_default(self, optional, required):
        assert query.min_should_match("2<-1 5<80%", optional) == required

    def test_bad_sort_refused(self):
        with pytest.raises(lucene.QueryError):
            query.build({"q": "*:*", "sort": "title; DROP"})
