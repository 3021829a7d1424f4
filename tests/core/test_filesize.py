"""File sizes read as a Québec reader expects: « 512 Mo », never « 512,0 Mio »."""

import pytest
from django.utils import translation

from solidaire.core.filesize import file_size

MIB = 1024 * 1024


@pytest.mark.parametrize(("size", "english", "french"), [
    (512 * MIB, "512 MB", "512\u00a0Mo"),
    (3 * 512 * MIB, "1.5 GB", "1,5\u00a0Go"),
    (1536, "1.5 KB", "1,5\u00a0ko"),
    (20 * MIB, "20 MB", "20\u00a0Mo"),
    (1, "1 byte", "1\u00a0octet"),
    (900, "900 bytes", "900\u00a0octets"),
])
def test_sizes_use_everyday_units_without_a_useless_decimal(size, english, french):
    with translation.override("en"):
        assert file_size(size) == english
    with translation.override("fr"):
        assert file_size(size) == french
