import pytest


@pytest.mark.django_db
def test_front_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="#main"' in response.content
