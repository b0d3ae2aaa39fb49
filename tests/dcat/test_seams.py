"""mogi_dcat refuses to start, naming what changed, when ckanext-dcat or rdflib
lose a private helper the catalogue pages rely on."""

from __future__ import annotations

import pytest

from ckanext.mogi.dcat import seams


def test_every_seam_is_there_with_the_pinned_versions():
    assert seams.missing() == []
    seams.check()


@pytest.mark.parametrize("seam", seams.SEAMS, ids=[s[1] for s in seams.SEAMS])
def test_a_missing_seam_stops_the_start_with_its_name(seam):
    module, path, use = seam
    gone = (module, path + "_renamed", use)
    with pytest.raises(RuntimeError) as stopped:
        seams.check([gone])
    assert f"{module}.{path}_renamed ({use})" in str(stopped.value)
    assert "requirements.txt" in str(stopped.value)
