# STUB: owned by the accounting helper
from trytond.model import ModelSingleton, ModelSQL, ModelView


class Configuration(ModelSingleton, ModelSQL, ModelView):
    __name__ = 'saccos.configuration'


class ConfigurationAccount(ModelSQL):
    __name__ = 'saccos.configuration.account'


class ConfigurationSequence(ModelSQL):
    __name__ = 'saccos.configuration.sequence'


class ConfigurationFee(ModelSQL):
    __name__ = 'saccos.configuration.fee'
