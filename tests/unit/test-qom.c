/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model on its own: a small zoo of types (animal -> dog, with a
 * "barker" interface), their properties, and a composition tree to resolve
 * paths in.
 */
#include <string.h>

#include "qom/object.h"
#include "qapi/error.h"

#define TYPE_ANIMAL "test-animal"
#define TYPE_DOG "test-dog"
#define TYPE_CAT "test-cat"
#define TYPE_BARKER "test-barker"
#define TYPE_PUPPY "test-puppy"

typedef struct Animal {
    Object parent_obj;
    char *name;
    bool tame;
    uint32_t legs;
    int init_order;     /* which instance_init ran last */
} Animal;

typedef struct AnimalClass {
    ObjectClass parent_class;
    const char *(*sound)(Animal *a);
} AnimalClass;

typedef struct BarkerClass {
    InterfaceClass parent;
    int (*barks)(Object *obj);
} BarkerClass;

static int finalized;
static int dog_inits;

static char *animal_get_name(Object *obj, GError **errp)
{
    return g_strdup(((Animal *)obj)->name);
}

static void animal_set_name(Object *obj, const char *v, GError **errp)
{
    Animal *a = (Animal *)obj;

    if (!strcmp(v, "forbidden")) {
        error_setg(errp, "no such name");
        return;
    }
    g_free(a->name);
    a->name = g_strdup(v);
}

static bool animal_get_tame(Object *obj, GError **errp)
{
    return ((Animal *)obj)->tame;
}

static void animal_set_tame(Object *obj, bool v, GError **errp)
{
    ((Animal *)obj)->tame = v;
}

static void animal_init(Object *obj)
{
    Animal *a = (Animal *)obj;

    a->legs = 4;
    a->init_order = 1;
    object_property_add_uint32_ptr(obj, "legs", &a->legs);
}

static void animal_finalize(Object *obj)
{
    g_free(((Animal *)obj)->name);
    finalized++;
}

static const char *animal_sound(Animal *a)
{
    return "...";
}

static void animal_class_init(ObjectClass *oc, void *data)
{
    AnimalClass *ac = (AnimalClass *)oc;

    ac->sound = animal_sound;
    object_class_property_add_str(oc, "name", animal_get_name,
                                  animal_set_name);
    object_class_property_add_bool(oc, "tame", animal_get_tame,
                                   animal_set_tame);
}

static void dog_init(Object *obj)
{
    ((Animal *)obj)->init_order = 2;    /* runs after animal_init */
    dog_inits++;
}

static const char *dog_sound(Animal *a)
{
    return "woof";
}

static int dog_barks(Object *obj)
{
    return 3;
}

static void dog_class_init(ObjectClass *oc, void *data)
{
    BarkerClass *bc = OBJECT_CLASS_CHECK(BarkerClass, oc, TYPE_BARKER);

    ((AnimalClass *)oc)->sound = dog_sound;
    bc->barks = dog_barks;
}

static const InterfaceInfo dog_interfaces[] = {
    { TYPE_BARKER }, { NULL },
};

static const TypeInfo test_types[] = {
    {
        .name = TYPE_ANIMAL,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Animal),
        .class_size = sizeof(AnimalClass),
        .abstract = true,
        .instance_init = animal_init,
        .instance_finalize = animal_finalize,
        .class_init = animal_class_init,
    }, {
        .name = TYPE_BARKER,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(BarkerClass),
    }, {
        .name = TYPE_DOG,
        .parent = TYPE_ANIMAL,
        .instance_init = dog_init,
        .class_init = dog_class_init,
        .interfaces = dog_interfaces,
    }, {
        .name = TYPE_CAT,
        .parent = TYPE_ANIMAL,
    }, {
        .name = TYPE_PUPPY,
        .parent = TYPE_DOG,
    },
};

static void register_test_types(void)
{
    type_register_static_array(test_types, G_N_ELEMENTS(test_types));
}

type_init(register_test_types)

static void test_types_and_casts(void)
{
    ObjectClass *dog = object_class_by_name(TYPE_DOG);
    ObjectClass *cat = object_class_by_name(TYPE_CAT);
    BarkerClass *bc;

    g_assert_nonnull(dog);
    g_assert_null(object_class_by_name("test-unicorn"));
    g_assert_cmpstr(object_class_get_name(dog), ==, TYPE_DOG);
    g_assert_cmpstr(object_class_get_name(object_class_get_parent(dog)), ==,
                    TYPE_ANIMAL);
    g_assert_true(object_class_is_abstract(object_class_by_name(TYPE_ANIMAL)));
    g_assert_false(object_class_is_abstract(dog));

    g_assert_true(object_class_dynamic_cast(dog, TYPE_ANIMAL) == dog);
    g_assert_true(object_class_dynamic_cast(dog, TYPE_OBJECT) == dog);
    g_assert_null(object_class_dynamic_cast(cat, TYPE_DOG));
    g_assert_null(object_class_dynamic_cast(cat, TYPE_BARKER));

    /* The interface class is a separate struct carrying dog's methods. */
    bc = (BarkerClass *)object_class_dynamic_cast(dog, TYPE_BARKER);
    g_assert_nonnull(bc);
    g_assert_true((ObjectClass *)bc != dog);
    g_assert_true(bc->parent.concrete_class == dog);
    g_assert_cmpint(bc->barks(NULL), ==, 3);

    /* Class = parent's copy + class_init: the override stays in dog. */
    g_assert_cmpstr(((AnimalClass *)dog)->sound(NULL), ==, "woof");
    g_assert_cmpstr(((AnimalClass *)cat)->sound(NULL), ==, "...");
}

/*
 * Internal (_assert) casts are remembered per class.  A class starts as a
 * copy of its parent's, and dog's class_init has cast it already: puppy
 * must answer for itself, not with what dog remembered.
 */
static void test_cast_cache(void)
{
    ObjectClass *dog = object_class_by_name(TYPE_DOG);
    ObjectClass *puppy;
    BarkerClass *bc;
    Object *obj;

    for (int i = 0; i < 3; i++) {
        g_assert_true(OBJECT_CLASS_CHECK(ObjectClass, dog, TYPE_ANIMAL) ==
                      dog);
        bc = OBJECT_CLASS_CHECK(BarkerClass, dog, TYPE_BARKER);
        g_assert_true(bc->parent.concrete_class == dog);
    }
    puppy = object_class_by_name(TYPE_PUPPY);
    g_assert_true(OBJECT_CLASS_CHECK(ObjectClass, puppy, TYPE_ANIMAL) ==
                  puppy);
    g_assert_true(OBJECT_CLASS_CHECK(ObjectClass, puppy, TYPE_DOG) == puppy);
    bc = OBJECT_CLASS_CHECK(BarkerClass, puppy, TYPE_BARKER);
    g_assert_true(bc->parent.concrete_class == puppy);
    /* More names than the cache holds: each still gets its own answer. */
    obj = object_new(TYPE_PUPPY);
    for (int i = 0; i < 2; i++) {
        g_assert_true(OBJECT_CHECK(Object, obj, TYPE_PUPPY) == obj);
        g_assert_true(OBJECT_CHECK(Object, obj, TYPE_DOG) == obj);
        g_assert_true(OBJECT_CHECK(Object, obj, TYPE_ANIMAL) == obj);
        g_assert_true(OBJECT_CHECK(Object, obj, TYPE_OBJECT) == obj);
        g_assert_true(OBJECT_CHECK(Object, obj, TYPE_BARKER) == obj);
    }
    g_assert_null(object_dynamic_cast(obj, TYPE_CAT));
    object_unref(obj);
}

static void test_class_list(void)
{
    GSList *list = object_class_get_list(TYPE_ANIMAL, false);
    GSList *with_abstract = object_class_get_list(TYPE_ANIMAL, true);
    GSList *barkers = object_class_get_list(TYPE_BARKER, false);

    g_assert_cmpint(g_slist_length(list), ==, 3);
    g_assert_cmpstr(object_class_get_name(list->data), ==, TYPE_CAT);
    g_assert_cmpstr(object_class_get_name(list->next->data), ==, TYPE_DOG);
    g_assert_cmpstr(object_class_get_name(list->next->next->data), ==,
                    TYPE_PUPPY);
    g_assert_cmpint(g_slist_length(with_abstract), ==, 4);
    g_assert_cmpint(g_slist_length(barkers), ==, 2);
    g_slist_free(list);
    g_slist_free(with_abstract);
    g_slist_free(barkers);
}

static void test_instance_lifecycle(void)
{
    int before = finalized;
    Object *obj = object_new(TYPE_DOG);
    Animal *a = (Animal *)obj;

    g_assert_cmpint(a->init_order, ==, 2);
    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_DOG);
    g_assert_nonnull(object_dynamic_cast(obj, TYPE_BARKER));
    g_assert_null(object_dynamic_cast(obj, TYPE_CAT));

    object_ref(obj);
    object_unref(obj);
    g_assert_cmpint(finalized, ==, before);
    object_unref(obj);
    g_assert_cmpint(finalized, ==, before + 1);
}

static void test_properties(void)
{
    Object *obj = object_new(TYPE_DOG);
    g_autoptr(GError) err = NULL;
    g_autofree char *name = NULL;
    g_autofree char *type = NULL;

    g_assert_true(object_property_set_str(obj, "name", "rex", &err));
    g_assert_no_error(err);
    name = object_property_get_str(obj, "name", NULL);
    g_assert_cmpstr(name, ==, "rex");

    /* Setter errors travel up. */
    g_assert_false(object_property_set_str(obj, "name", "forbidden", &err));
    g_assert_cmpstr(err->message, ==, "no such name");
    g_clear_error(&err);

    /* Booleans from JSON and from text. */
    g_assert_true(object_property_set_bool(obj, "tame", true, NULL));
    g_assert_true(object_property_get_bool(obj, "tame", NULL));
    g_assert_true(object_property_parse(obj, "tame", "off", NULL));
    g_assert_false(object_property_get_bool(obj, "tame", NULL));
    g_assert_false(object_property_parse(obj, "tame", "maybe", &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'tame' expects 'on' or 'off'");
    g_clear_error(&err);

    /* A string property refuses a number. */
    g_assert_false(object_property_set_int(obj, "name", 3, &err));
    g_assert_cmpstr(err->message, ==,
                    "Invalid parameter type for 'name', expected: string");
    g_clear_error(&err);

    g_assert_cmpint(object_property_get_uint(obj, "legs", NULL), ==, 4);
    g_assert_false(object_property_set_uint(obj, "legs", 3, &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-dog.legs' is not writable");
    g_clear_error(&err);

    g_assert_null(object_property_get(obj, "wings", &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-dog.wings' not found");
    g_clear_error(&err);

    /* Every object has its type as a read-only property. */
    type = object_property_get_str(obj, "type", NULL);
    g_assert_cmpstr(type, ==, TYPE_DOG);
    g_assert_cmpstr(object_property_find(obj, "type")->type, ==, "string");
    g_assert_cmpstr(object_property_find(obj, "legs")->type, ==, "uint32");
    g_assert_cmpstr(object_property_find(obj, "tame")->type, ==, "bool");

    object_unref(obj);
}

static void test_value_parsing(void)
{
    g_autoptr(JsonNode) hex = qom_value_from_str("0x10");
    g_autoptr(JsonNode) junk = qom_value_from_str("12abc");
    g_autoptr(JsonNode) num = qom_value_from_int(-5);
    g_autoptr(JsonNode) yes = qom_value_from_str("yes");
    g_autoptr(GError) err = NULL;
    int64_t i;
    uint64_t u;
    bool b;

    g_assert_true(qom_value_to_uint(hex, "x", &u, NULL));
    g_assert_cmpuint(u, ==, 16);
    g_assert_true(qom_value_to_int(num, "x", &i, NULL));
    g_assert_cmpint(i, ==, -5);
    g_assert_true(qom_value_to_bool(yes, "x", &b, NULL));
    g_assert_true(b);
    g_assert_false(qom_value_to_int(junk, "x", &i, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'x' expects integer");
    g_clear_error(&err);
    g_assert_false(qom_value_to_bool(num, "x", &b, &err));
    g_assert_cmpstr(err->message, ==,
                    "Invalid parameter type for 'x', expected: boolean");
}

static void test_composition_tree(void)
{
    Object *root = object_get_root();
    Object *farm = container_get(root, "/farm/barn");
    Object *dog = object_new(TYPE_DOG);
    Object *cat = object_new(TYPE_CAT);
    Object *cat2 = object_new(TYPE_CAT);
    Object *shed = container_get(root, "/farm/shed");
    g_autofree char *path = NULL;
    g_autofree char *linkval = NULL;
    g_autofree char *childval = NULL;
    bool ambiguous = false;
    int before = finalized;

    g_assert_true(container_get(root, "/farm/barn") == farm);
    object_property_add_child(farm, "rex", dog);
    object_property_add_child(farm, "cat[*]", cat);
    object_property_add_child(shed, "cat[*]", cat2);
    object_unref(dog);
    object_unref(cat);
    object_unref(cat2);

    g_assert_cmpstr(object_property_find(farm, "rex")->type, ==,
                    "child<test-dog>");
    g_assert_nonnull(object_property_find(farm, "cat[0]"));
    g_assert_nonnull(object_property_find(shed, "cat[0]"));
    {
        Object *other = object_new(TYPE_CAT);
        g_assert_null(object_property_try_add_child(farm, "rex", other));
        g_assert_null(other->parent);
        object_unref(other);
    }

    path = object_get_canonical_path(dog);
    g_assert_cmpstr(path, ==, "/farm/barn/rex");
    g_assert_cmpstr(object_get_canonical_path_component(dog), ==, "rex");
    childval = object_property_get_str(farm, "rex", NULL);
    g_assert_cmpstr(childval, ==, "/farm/barn/rex");

    /* Absolute and partial paths; a partial one must be unique. */
    g_assert_true(object_resolve_path("/farm/barn/rex", NULL) == dog);
    g_assert_true(object_resolve_path("rex", &ambiguous) == dog);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path("barn/rex", NULL) == dog);
    g_assert_null(object_resolve_path("/farm/rex", NULL));
    g_assert_null(object_resolve_path("cat[0]", &ambiguous));
    g_assert_true(ambiguous);
    g_assert_true(object_resolve_path("shed/cat[0]", &ambiguous) == cat2);
    g_assert_true(object_resolve_path_type("cat[0]", TYPE_DOG, NULL) == NULL);
    g_assert_true(object_resolve_path_at(farm, "rex") == dog);
    g_assert_true(object_resolve_path("/", NULL) == root);

    /* Links point into the tree and can be followed by path. */
    object_property_add_const_link(cat, "friend", dog);
    g_assert_cmpstr(object_property_find(cat, "friend")->type, ==,
                    "link<test-dog>");
    linkval = object_property_get_str(cat, "friend", NULL);
    g_assert_cmpstr(linkval, ==, "/farm/barn/rex");
    g_assert_true(object_resolve_path("/farm/barn/cat[0]/friend", NULL) == dog);

    /* Unparenting drops the tree's reference: the objects go away. */
    object_unparent(container_get(root, "/farm"));
    g_assert_cmpint(finalized, ==, before + 4);   /* + the refused one */
    g_assert_null(object_resolve_path("rex", NULL));
}

typedef struct Kennel {
    Object parent_obj;
    Object *resident;
} Kennel;

static void test_settable_link(void)
{
    Object *root = object_get_root();
    Object *home = container_get(root, "/home");
    Object *dog = object_new(TYPE_DOG);
    Object *cat = object_new(TYPE_CAT);
    Object *kennel = object_new(TYPE_CONTAINER);
    Object *target = NULL;
    g_autoptr(GError) err = NULL;

    object_property_add_child(home, "dog", dog);
    object_property_add_child(home, "cat", cat);
    object_property_add_child(home, "kennel", kennel);
    object_property_add_link(kennel, "resident", TYPE_DOG, &target);

    g_assert_true(object_property_set_str(kennel, "resident", "/home/dog",
                                          NULL));
    g_assert_true(target == dog);
    g_assert_false(object_property_set_str(kennel, "resident", "/home/cat",
                                           &err));
    g_assert_cmpstr(err->message, ==,
                    "Invalid parameter type for 'resident', expected: test-dog");
    g_clear_error(&err);
    g_assert_false(object_property_set_str(kennel, "resident", "/nowhere",
                                           &err));
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    g_assert_true(object_property_set_str(kennel, "resident", "", NULL));
    g_assert_null(target);

    object_unref(dog);
    object_unref(cat);
    object_unref(kennel);
    object_unparent(home);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/types-and-casts", test_types_and_casts);
    g_test_add_func("/qom/cast-cache", test_cast_cache);
    g_test_add_func("/qom/class-list", test_class_list);
    g_test_add_func("/qom/instance-lifecycle", test_instance_lifecycle);
    g_test_add_func("/qom/properties", test_properties);
    g_test_add_func("/qom/value-parsing", test_value_parsing);
    g_test_add_func("/qom/composition-tree", test_composition_tree);
    g_test_add_func("/qom/settable-link", test_settable_link);
    return g_test_run();
}
