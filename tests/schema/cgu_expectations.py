"""What the federal CKAN harvester must read from the complete test dataset.

Shared by the API and harvest tests (``conftest.COMPLETE_DATASET`` is the
dataset these extras describe).
"""

#: The 15 CGU extras of the complete dataset (conftest.COMPLETE_DATASET), as
#: the federal CKAN harvester expects them (guia-ckan formats).
COMPLETE_CGU_EXTRAS = {
    "periodicidade": "MENSAL",
    "coberturaTemporalInicio": "01/01/2022",
    "coberturaTemporalFim": "31/12/2022",
    "coberturaEspacial": "MUNICIPAL",
    "valorCoberturaEspacial": "353060",
    "granularidadeEspacial": "MUNICIPAL",
    "atualizacaoVersao": "false",
    "descontinuado": "false",
    "dataDescontinuacao": "",
    "observanciaLegal": "1",
    "relacaoOds": "true",
    "ods": "3,10",
    "dadosRacaEtnia": "false",
    "dadosGenero": "true",
    "dadosAbertos": "true",
}
