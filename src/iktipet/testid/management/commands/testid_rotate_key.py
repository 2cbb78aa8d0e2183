from django.core.management.base import BaseCommand

from iktipet.testid.keys import rotate_signing_key


class Command(BaseCommand):
    help = "Sign TestID's id_tokens with a new RSA key (the previous one stays in the JWKS)."

    def handle(self, *args: object, **options: object) -> None:
        key = rotate_signing_key()
        self.stdout.write(f"TestID signs with kid {key.kid} from now on.")
