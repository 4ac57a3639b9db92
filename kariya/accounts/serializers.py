from __future__ import annotations

from rest_framework import serializers

from kariya.accounts.models import Office, Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "acronym",
            "type",
            "network_status",
            "joined_on",
            "description",
            "email",
            "phone",
            "website",
            "is_active",
        ]
        read_only_fields = fields


class OfficeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = serializers.UUIDField(source="organisation.public_id", read_only=True)
    commune = serializers.CharField(source="commune.pcode", read_only=True)

    class Meta:
        model = Office
        fields = ["id", "organisation", "name", "kind", "commune", "address", "phone", "is_active"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    organisation = OrganisationSerializer(read_only=True)
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "preferred_language",
            "organisation",
            "roles",
            "permissions",
        ]
        read_only_fields = fields

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_codes())

    def get_permissions(self, user: User) -> list[str]:
        from kariya.accounts.roles import permissions_for

        return sorted(permissions_for(user.role_codes()))
